/**
 * Issue 4's "Done when", on the UI side: build a notebook over a sample with missing values,
 * see each step's diff, share it as a link, reopen the link in a fresh browser and get the same
 * numbers; hostile links are refused; a reload restores the notebook; the output exports as CSV.
 */
import { readFileSync } from 'node:fs';
import { deflateRawSync } from 'node:zlib';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { loadSample, openApp } from './helpers';

function stepCard(page: Page, step: string): Locator {
  return page.getByRole('list', { name: 'Notebook steps' }).locator(`li[data-step="${step}"]`);
}

async function addStep(page: Page, step: string): Promise<void> {
  await page.getByRole('button', { name: '+ Add step' }).click();
  await page.getByRole('searchbox', { name: 'Search steps' }).fill(step.slice(0, 6));
  await page.getByRole('button', { name: `Add ${step}`, exact: true }).click();
  await expect(stepCard(page, step)).toBeVisible();
}

/** The cell of the notebook's output table at (row, column), 0-based. */
function outputCell(page: Page, row: number, column: number): Locator {
  return page.locator(`.vt-row[data-row="${row}"] td.vt-cell`).nth(column);
}

/** A link made by hand from JSON text, the way an attacker would make one. */
function linkFor(json: string): string {
  return `#nb=v1.${deflateRawSync(Buffer.from(json, 'utf8')).toString('base64url')}`;
}

async function expectAllSettled(page: Page, steps: string[]): Promise<void> {
  for (const step of steps) {
    await expect(stepCard(page, step).getByTestId('step-status')).toHaveText(/^(ok|cached)$/);
  }
}

test('a notebook over iris_missing: diffs, share link, fresh browser, hostile links, reload, export', async ({
  page,
  browser,
}) => {
  await openApp(page);
  await loadSample(page, 'Iris with missing values', '150 rows × 7 columns');
  await expect(page.getByLabel('Target', { exact: true })).toHaveValue('');
  await page.getByLabel('Target', { exact: true }).selectOption('target');

  // Impute the numeric columns (mean), then scale, then PCA when the catalog has it.
  await addStep(page, 'SimpleImputer');
  const imputer = stepCard(page, 'SimpleImputer');
  // By default the mean imputer takes the numeric columns only (the categorical "site" would make
  // it fail: #14's defaults that never fail), so the card is fine at once; then pick them by hand.
  await expect(imputer.getByTestId('step-status')).toHaveText('ok');
  await expect(imputer.getByRole('alert')).toHaveCount(0);
  await imputer.getByText('Parameters').click();
  for (const column of ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)']) {
    await imputer.getByRole('checkbox', { name: column }).check();
  }
  await expect(imputer.getByTestId('step-status')).toHaveText('ok');
  await imputer.getByText('Parameters').click();
  const steps = ['SimpleImputer', 'StandardScaler'];
  await addStep(page, 'StandardScaler');
  await page.getByRole('button', { name: '+ Add step' }).click();
  const hasPca = (await page.getByRole('button', { name: 'Add PCA', exact: true }).count()) > 0;
  await page.keyboard.press('Escape');
  if (hasPca) {
    await addStep(page, 'PCA');
    steps.push('PCA');
  }
  await expectAllSettled(page, steps);

  // Per-step diffs: the imputer fills every missing value; the scaler changes ranges.
  await expect(imputer.getByTestId('step-diff')).toContainText(
    /150 → 150 rows · 7 → 7 cols · missing \d+ → \d+/,
  );
  await expect(stepCard(page, 'StandardScaler').getByTestId('step-diff')).toContainText('ranges:');
  if (hasPca) await expect(stepCard(page, 'PCA').getByTestId('step-diff')).toContainText('cols');

  // The Data tab shows the output; read a number from it.
  await expect(page.getByRole('button', { name: 'After notebook' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('output-shape')).toContainText('150 rows');
  const number = (await outputCell(page, 3, 0).textContent()) ?? '';
  expect(number).toMatch(/^-?\d/);
  const headers = await page
    .locator('th.vt-colheader')
    .evaluateAll((ths) => ths.map((th) => th.getAttribute('data-column')));

  // Copy the link; the popover shows it in a text field.
  await page.getByRole('button', { name: 'Copy link' }).first().click();
  const link = await page.getByRole('textbox', { name: 'Notebook link' }).inputValue();
  expect(link).toMatch(/#nb=v2\.[A-Za-z0-9_-]+$/);
  expect(link.length).toBeLessThan(2048);
  await page.getByRole('dialog', { name: 'Share link' }).getByRole('button', { name: 'Close' }).click();

  // A fresh browser context (no autosave, nothing loaded) opens the link to the same numbers.
  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(link);
  for (const step of steps) await expect(stepCard(other, step)).toBeVisible();
  await expectAllSettled(other, steps);
  await expect(other.getByTestId('output-shape')).toContainText('150 rows');
  await expect(outputCell(other, 3, 0)).toHaveText(number);
  await expect(other.getByLabel('Target', { exact: true })).toHaveValue('target');

  // Hostile links: refused with the parser's message, the notebook untouched, the app working.
  await other.goto(`${new URL(link).origin}/#nb=v1.%%%`);
  const bad = other.getByRole('alert').filter({ hasText: 'Opening a notebook link' });
  await expect(bad).toContainText('cannot occur in a notebook link');
  await bad.getByRole('button', { name: 'Dismiss' }).click();
  const proto = linkFor(
    '{"version":1,"seed":0,"dataset":{"kind":"sample","sample":"iris"},"target":null,"steps":[],"__proto__":{"polluted":1}}',
  );
  await other.goto(`${new URL(link).origin}/${proto}`);
  await expect(other.getByRole('alert').filter({ hasText: 'Opening a notebook link' })).toContainText(
    '__proto__',
  );
  expect(await other.evaluate(() => ({}) as Record<string, unknown>)).not.toHaveProperty('polluted');
  await expect(other.getByRole('list', { name: 'Notebook steps' }).getByRole('listitem')).toHaveCount(
    steps.length,
  );
  await expect(outputCell(other, 3, 0)).toHaveText(number);
  await other.getByRole('button', { name: 'Original' }).click();
  await expect(other.getByTestId('shape')).toHaveText('150 rows × 7 columns');
  await fresh.close();

  // A reload (no link in the URL) restores the notebook from autosave and reruns it.
  await page.goto(new URL(link).origin + new URL(link).pathname);
  for (const step of steps) await expect(stepCard(page, step)).toBeVisible();
  await expectAllSettled(page, steps);
  await expect(outputCell(page, 3, 0)).toHaveText(number);

  // Export the transformed data as CSV: the header is the output's columns.
  await page.getByRole('tab', { name: 'Export' }).click();
  await expect(page.getByText(/The output of the notebook: 150 rows/)).toBeVisible();
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download CSV' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/-transformed\.csv$/);
  const text = readFileSync((await download.path()) as string, 'utf8');
  const header = text.split('\n')[0] ?? '';
  expect(header.split(',').map((h) => h.replace(/^"|"$/g, ''))).toEqual(headers);
  expect(text.trim().split('\n')).toHaveLength(151);
});
