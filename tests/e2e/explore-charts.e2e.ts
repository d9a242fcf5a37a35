import { expect, type Locator, type Page, test } from '@playwright/test';
import { openApp } from './helpers';

/**
 * Issue 14's chart fixes in the built app, on the synthetic set (date and datetime columns, a
 * three-category colour column): dates on time axes, one colour per category in the box plot,
 * the scatter plot and the embedding, and a scatter-plot matrix that fits its panel.
 */
test.setTimeout(180_000);

/** What the broken axes showed: epoch milliseconds with SI suffixes ("1.5T", "980B"). */
const SI_EPOCH = /^[\d.,−-]+[kMBT]$/;

async function tickTexts(scope: Locator, axis: 'x' | 'y'): Promise<string[]> {
  const texts = await scope.locator(`.axis-${axis} .tick text`).allTextContents();
  return texts.filter(Boolean);
}

/** Legend swatches of a canvas view: category → fill. */
async function legend(scope: Locator): Promise<Record<string, string>> {
  return scope
    .locator('.legend')
    .first()
    .evaluate((g) =>
      Object.fromEntries(
        [...g.querySelectorAll(':scope > g')].map((e) => [
          e.querySelector('text')!.textContent!,
          e.querySelector('rect')!.getAttribute('fill')!,
        ]),
      ),
    );
}

async function field(panel: Locator, label: string): Promise<Locator> {
  return panel
    .locator('label.xfield')
    .filter({ has: panel.page().locator('span', { hasText: new RegExp(`^${label}$`) }) })
    .locator('select');
}

async function synthetic(page: Page): Promise<void> {
  await openApp(page);
  const form = page.getByRole('form', { name: 'Synthetic data' });
  await form.getByLabel('Rows').fill('2000');
  await form.getByLabel('Seed').fill('7');
  await form.getByRole('button').click();
  await expect(page.getByTestId('shape')).toHaveText(/^2,000 rows/, { timeout: 60_000 });
  await page.getByRole('tab', { name: 'Explore' }).click();
}

test('date columns are drawn on time axes and each category keeps its colour in every view', async ({
  page,
}, testInfo) => {
  await synthetic(page);

  // Distribution of a date column: years on the axis.
  await page.getByTestId('explore-column').selectOption('d_date');
  const dist = page.getByTestId('explore-distribution');
  await expect(dist.getByRole('heading', { name: 'Distribution of d_date' })).toBeVisible();
  await expect(dist.locator('.axis-x .tick text').first()).toHaveText(/^20\d\d$/);
  const years = await tickTexts(dist, 'x');
  expect(years.length).toBeGreaterThanOrEqual(3);
  expect(years.every((t) => /^20\d\d$/.test(t))).toBe(true);

  // Colour by a category; box plot of a date column by it.
  await page.getByTestId('explore-colour').selectOption('c_color');
  const grouped = page.getByTestId('explore-grouped');
  await (await field(grouped, 'value')).selectOption('d_date');
  await (await field(grouped, 'by')).selectOption('c_color');
  await expect(grouped.locator('svg .box')).toHaveCount(3);
  expect((await tickTexts(grouped, 'y')).some((t) => SI_EPOCH.test(t))).toBe(false);
  const boxes = await grouped
    .locator('svg')
    .first()
    .evaluate((svg) => {
      const labels = [...svg.querySelectorAll('.axis-x .tick text')].map((t) => t.textContent!);
      const fills = [...svg.querySelectorAll('.box rect')].map((r) => r.getAttribute('fill')!);
      return Object.fromEntries(labels.map((l, i) => [l, fills[i]!]));
    });
  expect(Object.keys(boxes).sort()).toEqual(['blue', 'green', 'red']);

  // Scatter of a datetime against a number: a time x axis, the same colours in its legend.
  const scatter = page.getByTestId('explore-scatter');
  await page.getByTestId('scatter-x').selectOption('t_timestamp');
  await expect(scatter.locator('.axis-x .tick text').first()).toHaveText(/^(20\d\d|[A-Z][a-z]{2})$/);
  expect((await tickTexts(scatter, 'x')).some((t) => SI_EPOCH.test(t))).toBe(false);
  await expect(scatter.locator('.legend text')).toHaveCount(3);
  const scatterColours = await legend(scatter);
  for (const [label, fill] of Object.entries(boxes)) expect(scatterColours[label]).toBe(fill);

  // The embedding, coloured by the same column, agrees too.
  const emb = page.getByTestId('explore-embedding');
  await emb.getByTestId('embedding-run').click();
  await expect(emb.locator('.legend text')).toHaveCount(3, { timeout: 60_000 });
  const embColours = await legend(emb);
  for (const [label, fill] of Object.entries(boxes)) expect(embColours[label]).toBe(fill);

  // The scatter-plot matrix, a date column included, fits its panel: nothing cut on the right.
  const splom = page.getByTestId('explore-splom');
  await splom
    .locator('label.xchip', { hasText: /^d_date$/ })
    .locator('input')
    .check();
  await expect(splom.locator('.frame .cell')).toHaveCount(25);
  const fit = await splom.evaluate((panel) => {
    const body = panel.querySelector('.xpanel-body')!.getBoundingClientRect();
    const cells = [...panel.querySelectorAll('.frame .cell rect')].map(
      (r) => r.getBoundingClientRect().right,
    );
    const labels = [...panel.querySelectorAll('.frame > text')].map((t) => t.textContent ?? '');
    return { right: Math.max(...cells), bodyRight: body.right, labels };
  });
  expect(fit.right).toBeLessThanOrEqual(fit.bodyRight);
  expect(fit.labels.some((t) => /^20\d\d$/.test(t))).toBe(true);
  expect(fit.labels.some((t) => SI_EPOCH.test(t))).toBe(false);

  // For a person to look at (test-results/…).
  await page.getByTestId('explore-distribution').scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath('explore-dates-colours.png') });
});
