/**
 * Issue 6's "Done when", on the UI side: pick the target on iris, 5-fold stratified CV, train
 * LogisticRegression and DecisionTreeClassifier, see a loss curve, read metrics with CIs and a
 * significance verdict, evaluate, run a small grid search, then reopen the share link in a fresh
 * browser (the experiment's settings travel in the notebook link) and get the same numbers; a bad
 * setup (a text target as regression) gives a clear message and leaves the runs alone.
 */
import { expect, type Page, test } from '@playwright/test';
import { loadSample, openApp } from './helpers';

const MEAN_STD_CI = /^0\.\d{3} ± 0\.\d{3} \[0\.\d{3}, [01]\.\d{3}\]$/;

function runRow(page: Page, label: string) {
  return page.getByTestId('runs-table').locator(`tbody tr[data-run="${label}"]`);
}

async function accuracyText(page: Page, label: string): Promise<string> {
  const cell = runRow(page, label).locator('td[data-metric="accuracy"]').first();
  await expect(cell).toHaveText(MEAN_STD_CI);
  return (await cell.textContent())!.trim();
}

test('train two models with 5-fold CV on iris, compare, tune, and reopen the link to the same numbers', async ({
  page,
  browser,
}) => {
  await openApp(page);
  await loadSample(page, 'Iris flowers', '150 rows × 5 columns');
  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByTestId('train-target').selectOption('target');
  await expect(page.getByTestId('train-task').locator('option').first()).toHaveText(
    'inferred: classification',
  );
  await expect(page.getByTestId('train-split')).toHaveValue('stratified-kfold');
  await expect(page.getByTestId('train-folds')).toHaveValue('5');
  await page.getByTestId('add-model').selectOption('DecisionTreeClassifier');
  await page.getByTestId('train-button').click();

  // Progress while it runs or, once done, the per-fold loss curves the worker recorded.
  await expect(
    page.getByTestId('train-progress').or(page.locator('[data-chart="loss-curves"] svg')),
  ).toBeVisible();
  await expect(page.locator('[data-chart="loss-curves"] svg .series').first()).toBeVisible();
  const lr = await accuracyText(page, 'LogisticRegression');
  const tree = await accuracyText(page, 'DecisionTreeClassifier');
  expect(Number(lr.slice(0, 5))).toBeGreaterThan(0.9);
  await expect(runRow(page, 'LogisticRegression')).toContainText('5 folds (stratified)');
  await expect(page.getByTestId('train-verdicts')).toContainText(
    /(No significant difference between LogisticRegression and DecisionTreeClassifier|is better than).*corrected t-test/,
  );
  await expect(page.getByTestId('split-ok').or(page.getByTestId('split-warnings'))).toBeVisible();

  // Evaluate: the selected run's metrics with CIs, its plots, and the pair's verdict in words.
  await runRow(page, 'LogisticRegression').getByRole('button', { name: 'Evaluate' }).click();
  await expect(page.getByTestId('evaluate-panel')).toBeVisible();
  await expect(page.getByTestId('eval-metrics').locator('tr[data-metric="roc_auc"] td').nth(1)).toHaveText(
    /^\[0\.\d{3}, [01]\.\d{3}\]$/,
  );
  await expect(page.locator('[data-chart="confusion"] svg .cell')).toHaveCount(9);
  await expect(page.locator('[data-chart="roc"] svg .series')).toHaveCount(3);
  await expect(page.locator('[data-chart="calibration"] svg')).toBeVisible();
  await expect(page.getByTestId('eval-verdict')).toContainText(/corrected t-test/);
  await expect(page.getByTestId('eval-verdict')).toContainText(/Nadeau–Bengio/);
  await page.getByTestId('eval-importance').click();
  const importance = page.getByTestId('eval-importance-table').locator('tbody tr');
  await expect(importance).toHaveCount(4);
  await expect(importance.first().locator('th')).toHaveText(/^petal/);
  await page.getByTestId('eval-learning').click();
  await expect(page.locator('[data-chart="learning-curve"] svg circle')).toHaveCount(5);

  // A small grid search over C, sorted by score with CIs, charted against C.
  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByTestId('tune-model').selectOption('LogisticRegression');
  const c = page.locator('[data-tune-param="C"]');
  await c.fill('0.1, 1, 10');
  await c.press('Tab');
  await page.getByTestId('tune-button').click();
  const tuneRows = page.getByTestId('tune-table').locator('tbody tr');
  await expect(tuneRows).toHaveCount(3);
  await expect(tuneRows.first().locator('td').first()).toHaveText('1');
  await expect(tuneRows.first().locator('td').nth(2)).toHaveText(MEAN_STD_CI);
  await expect(page.locator('[data-chart="tune-C"] svg circle')).toHaveCount(3);
  const bestTuned = (await tuneRows.first().locator('td').nth(2).textContent())!.trim();

  // The share link carries the experiment: a fresh browser reproduces the numbers.
  await page.getByRole('button', { name: 'Copy link' }).first().click();
  const link = await page.getByRole('textbox', { name: 'Notebook link' }).inputValue();
  expect(link).toMatch(/#nb=v2\./);
  await page.getByRole('dialog', { name: 'Share link' }).getByRole('button', { name: 'Close' }).click();
  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await other.goto(link);
  await expect(other.getByTestId('shape')).toHaveText('150 rows × 5 columns');
  await other.getByRole('tab', { name: 'Train' }).click();
  await expect(other.getByTestId('train-target')).toHaveValue('target');
  await expect(other.locator('.train-model[data-model="DecisionTreeClassifier"]')).toBeVisible();
  await expect(other.locator('[data-tune-param="C"]')).toHaveValue('0.1, 1, 10');
  await other.getByTestId('train-button').click();
  expect(await accuracyText(other, 'LogisticRegression')).toBe(lr);
  expect(await accuracyText(other, 'DecisionTreeClassifier')).toBe(tree);
  await other.getByTestId('tune-button').click();
  await expect(other.getByTestId('tune-table').locator('tbody tr').first().locator('td').nth(2)).toHaveText(
    bestTuned,
  );

  // Bad input: iris' text target as regression says what is wrong and keeps the runs. The models
  // follow the task (each classifier becomes its regressor, with that model's description), so
  // it is the target itself that is refused.
  await other.getByTestId('train-task').selectOption('regression');
  await expect(other.locator('.train-model[data-model="LinearRegression"] summary')).toHaveText(
    /least squares/i,
  );
  await expect(other.locator('.train-model[data-model="DecisionTreeRegressor"]')).toBeVisible();
  await expect(other.getByRole('combobox', { name: 'Model 1' })).toHaveValue('LinearRegression');
  await expect(other.getByTestId('train-split')).toHaveValue('kfold');
  await other.getByTestId('train-button').click();
  await expect(other.getByTestId('train-error')).toContainText('Regression needs a numeric target');
  await expect(other.getByTestId('runs-table').locator('tbody tr')).toHaveCount(3);
  await fresh.close();
});
