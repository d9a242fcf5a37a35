/**
 * A new user's loop on a real file the app was not tuned on: txhousing.csv (46 Texas cities,
 * 2000–2015; the target "median" and four features have gaps). What tripped the user before:
 * the Train tab said "drop the rows with a missing target" and "add a SimpleImputer" in words
 * only, one column per attempt; LinearRegression on the one-hot cities scored R² 0.26 (scikit-learn
 * 0.89) because the sales volume's scale swamped its ridge; two cities shared one colour in the
 * legend, which also covered the top of the scatter plot; and Evaluate opened blank after a
 * reload, then said 'No dataset with id "…" is loaded'. And penguins_raw.csv, whose fold failure
 * named a "treat as missing" fix that had no button.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Locator, test } from '@playwright/test';
import { openApp } from './helpers';

const DATA = join(import.meta.dirname, '../fixtures/corpus/txhousing/txhousing.csv');

test.setTimeout(300_000);

/** Swatch fills of a view's legend, by label. */
function legend(scope: Locator) {
  return scope
    .locator('.legend')
    .first()
    .evaluate((g) =>
      [...g.querySelectorAll(':scope > g')].map((e) => ({
        label: e.querySelector('text')!.textContent!,
        fill: e.querySelector('rect')!.getAttribute('fill')!,
        bottom: e.getBoundingClientRect().bottom,
      })),
    );
}

test('txhousing: one-click fixes for gaps in target and features, LinearRegression as sklearn, readable views', async ({
  page,
}) => {
  await openApp(page);
  await page.getByTestId('file-input').setInputFiles({
    name: 'txhousing.csv',
    mimeType: 'text/csv',
    buffer: readFileSync(DATA),
  });
  await expect(page.getByTestId('shape')).toHaveText('2,530 rows × 9 columns');

  // Explore: colour by city. Every named category has its own colour; the legend sits above the points.
  await page.getByRole('tab', { name: 'Explore' }).click();
  await page.getByTestId('explore-colour').selectOption('city');
  const scatter = page.getByTestId('explore-scatter');
  await expect(scatter.locator('.legend text').first()).toBeVisible();
  const items = await legend(scatter);
  const named = items.filter((i) => i.label !== 'other' && i.label !== '(missing)');
  expect(named.length).toBeGreaterThan(1);
  expect(new Set(named.map((i) => i.fill)).size).toBe(named.length);
  const plotTop = await scatter
    .locator('svg .overlay')
    .first()
    .evaluate((r) => r.getBoundingClientRect().top);
  expect(Math.max(...items.map((i) => i.bottom))).toBeLessThanOrEqual(plotTop + 1);

  // Train: the target has gaps; the error offers the fix as a button.
  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByTestId('train-target').selectOption('median');
  await expect(page.getByTestId('train-split')).toHaveValue('kfold');
  await page.getByRole('button', { name: 'Add OneHotEncoder' }).click();
  const steps = page.getByRole('list', { name: 'Notebook steps' });
  await expect(steps).toContainText('OneHotEncoder');
  // Its null-default enum shows "null (default)", not a blank box.
  const encoder = page.locator('li.step-card[data-step="OneHotEncoder"]');
  await encoder.getByText('Parameters').click();
  const drop = encoder.locator('select[id$="-drop"]');
  expect(await drop.evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent ?? '')).toBe(
    'null (default)',
  );
  await page.getByTestId('train-button').click();
  const error = page.getByTestId('train-error');
  await expect(error).toContainText('The target "median" has missing values (8 rows).');
  await error.getByRole('button', { name: /^Drop the \d+ rows where "median" is missing$/ }).click();
  await expect(page.locator('li.step-card').first()).toHaveAttribute('data-step', 'FilterRows');

  // Then every feature with gaps at once, with one imputer for all of them.
  await page.getByTestId('train-button').click();
  await expect(error).toContainText(
    /Feature "(listings|inventory)" has \d+ missing values \(and 1 more feature has gaps\)/,
  );
  await error
    .getByRole('button', { name: /^Fill the gaps in "listings", "inventory" with the median/ })
    .click();
  await expect(page.locator('li.step-card').last()).toHaveAttribute('data-step', 'SimpleImputer');

  await page.getByTestId('train-button').click();
  const r2 = page
    .getByTestId('runs-table')
    .locator('tbody tr[data-run="LinearRegression"] td[data-metric="r2"]')
    .first();
  await expect(r2).toHaveText(/^0\.\d{3} ± /, { timeout: 120_000 });
  // scikit-learn's LinearRegression (lstsq) on the same design scores 0.89 in 5-fold CV.
  expect(Number((await r2.textContent())!.trim().slice(0, 5))).toBeGreaterThan(0.85);

  // After a reload Evaluate shows this dataset's run and its error analysis, not blank pickers.
  await page.reload();
  await expect(page.getByTestId('shape')).toHaveText('2,530 rows × 9 columns');
  await page.getByRole('tab', { name: 'Evaluate' }).click();
  await expect(page.getByTestId('evaluate-panel')).toContainText('LinearRegression');
  await expect(page.getByTestId('evaluate-panel')).toContainText('out-of-fold rows', { timeout: 60_000 });
  await expect(page.getByTestId('evaluate-panel')).not.toContainText('No dataset with id');
});

test('penguins_raw: a category unseen in a fold offers both fixes the error names, and "treat as missing" inserts its step', async ({
  page,
}) => {
  await openApp(page);
  await page.getByTestId('file-input').setInputFiles({
    name: 'penguins_raw.csv',
    mimeType: 'text/csv',
    buffer: readFileSync(join(import.meta.dirname, '../fixtures/corpus/penguins_raw/penguins_raw.csv')),
  });
  await expect(page.getByTestId('shape')).toHaveText('344 rows × 17 columns');
  await page.getByRole('button', { name: '+ Add step' }).click();
  const search = page.getByRole('searchbox', { name: 'Search steps' });
  await search.fill('OneHotEncoder');
  await search.press('Enter');
  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByTestId('train-target').selectOption('Species');
  await page.getByTestId('train-button').click();
  const error = page.getByTestId('train-error');
  await expect(error).toContainText('failed in fold');
  const treat = error.getByRole('button', { name: /^Treat ".+" as missing$/ });
  await expect(error.getByRole('button', { name: 'Ignore unknown categories' })).toBeVisible();
  await expect(treat).toBeVisible();
  // The step's card offers the same two.
  const card = page.locator('li.step-card[data-step="OneHotEncoder"]');
  await expect(card.getByRole('button', { name: /^Treat ".+" as missing$/ })).toBeVisible();
  await treat.click();
  await expect(page.locator('li.step-card').first()).toHaveAttribute('data-step', 'MarkMissing');
});
