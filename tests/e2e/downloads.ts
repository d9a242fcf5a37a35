/** Downloads from the Export tab's model section, and the CSV reader for our own CSV output. */
import { readFile } from 'node:fs/promises';
import { type Download, expect, type Page } from '@playwright/test';

/** Clicks `testid` and waits for `count` downloads (or fails fast with the section's error note). */
export async function downloads(
  page: Page,
  testid: string,
  count = 1,
): Promise<{ name: string; bytes: Buffer }[]> {
  const events: Download[] = [];
  const on = (d: Download) => void events.push(d);
  page.on('download', on);
  try {
    await page.getByTestId(testid).click();
    // An error note instead of a download fails fast, with its message.
    const alert = page.getByTestId('export-model-error');
    await expect
      .poll(
        async () =>
          events.length === count ? 'ok' : (await alert.count()) > 0 ? await alert.textContent() : '',
        {
          message: `downloads from ${testid}`,
        },
      )
      .toBe('ok');
  } finally {
    page.off('download', on);
  }
  return Promise.all(
    events.map(async (d) => ({ name: d.suggestedFilename(), bytes: await readFile((await d.path())!) })),
  );
}

/** RFC 4180 enough for our own writer's output (quoted fields with doubled quotes). */
export function parseCsv(text: string): string[][] {
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const cells: string[] = [];
      let cur = '';
      let quoted = false;
      for (let i = 0; i < line.length; i++) {
        const ch = line[i]!;
        if (quoted) {
          if (ch === '"' && line[i + 1] === '"') {
            cur += '"';
            i++;
          } else if (ch === '"') quoted = false;
          else cur += ch;
        } else if (ch === '"') quoted = true;
        else if (ch === ',') {
          cells.push(cur);
          cur = '';
        } else cur += ch;
      }
      cells.push(cur);
      return cells;
    });
}
