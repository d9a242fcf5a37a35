import { expect, test } from '@playwright/test';
import { loadSample, openApp } from './helpers';

// Missing cells per column in public/samples/iris_missing.csv (empty, NA or ?), counted from the file.
const MISSING = {
  'sepal length (cm)': 5,
  'sepal width (cm)': 6,
  'petal length (cm)': 8,
  'petal width (cm)': 8,
  site: 8,
  measured_on: 3,
} as const;

test('the quality report of iris_missing: counts, a fix into the notebook, a target', async ({ page }) => {
  await openApp(page);
  await loadSample(page, 'Iris with missing values', '150 rows × 7 columns');
  await page.getByRole('tab', { name: 'Quality' }).click();

  const panel = page.getByRole('tabpanel');
  await expect(panel.getByRole('heading', { name: 'Quality of Iris with missing values' })).toBeVisible();
  await expect(panel.getByTestId('count-rows')).toHaveText('150');
  await expect(panel.getByTestId('count-columns')).toHaveText('7');
  const total = Object.values(MISSING).reduce((s, n) => s + n, 0);
  await expect(panel.getByTestId('count-missing')).toContainText(String(total));
  await expect(panel.getByTestId('count-duplicates')).toHaveText('0');
  await expect(panel.getByRole('combobox', { name: 'Outliers by' })).toHaveValue('iqr');
  await expect(panel.getByTestId('report-caption')).toContainText('target: none');
  await expect(panel.getByTestId('report-caption')).toContainText('IQR (k = 1.5, default)');

  // One "missing" finding per column with holes, with the count the file has.
  const missing = panel.locator('.qwarn[data-kind="missing"]');
  await expect(missing).toHaveCount(Object.keys(MISSING).length);
  for (const [column, n] of Object.entries(MISSING)) {
    await expect(panel.locator(`.qwarn[data-warning="missing:${column}"]`)).toContainText(
      `"${column}" is missing ${n} of 150 values`,
    );
    await expect(panel.locator(`.pcard[data-column="${column}"] [data-stat="missing"]`)).toContainText(
      String(n),
    );
  }
  await expect(panel.locator('.pcard')).toHaveCount(7);
  await expect(panel.locator('.pcard[data-column="sepal width (cm)"] svg.bt-histogram')).toBeVisible();
  await expect(panel.locator('.pcard[data-column="site"] svg.bt-bars')).toBeVisible();

  // The fix goes to the notebook as a SimpleImputer step on that column.
  const sepalWidth = panel.locator('.qwarn[data-warning="missing:sepal width (cm)"]');
  await sepalWidth.getByRole('button', { name: 'Fix: Fill "sepal width (cm)" with its median' }).click();
  await expect(sepalWidth.getByText('Added to notebook ✓')).toBeVisible();
  const steps = page.getByRole('list', { name: 'Notebook steps' });
  await expect(steps.locator('.step-card[data-step="SimpleImputer"]')).toHaveCount(1);
  await expect(steps.locator('.step-card[data-step="SimpleImputer"]')).toContainText('sepal width (cm)');

  // A target turns on the class-balance and leakage checks; iris's classes are balanced.
  await panel.getByRole('combobox', { name: 'Target column' }).selectOption('target');
  await expect(panel.getByTestId('report-caption')).toContainText('target: “target”');
  await expect(panel.locator('.qwarn').first()).toBeVisible();
  await expect(panel.locator('.qwarn[data-kind="class-imbalance"]')).toHaveCount(0);
  await expect(panel.locator('.qwarn[data-kind="missing"]')).toHaveCount(Object.keys(MISSING).length);

  // Another outlier rule re-checks with it.
  await panel.getByRole('combobox', { name: 'Outliers by' }).selectOption('mad');
  await expect(panel.getByTestId('report-caption')).toContainText('outliers by MAD (> 3.5)');
  await expect(panel.getByTestId('report-caption')).toContainText('target: “target”');
});
