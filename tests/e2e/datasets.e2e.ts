/**
 * Issue 14 item 2 on the UI side: each dataset keeps its own notebook and runs. Load iris, add a
 * step, train; load wine → its own empty notebook, no runs, the Data tab on its raw values; back
 * to iris → its notebook, output and runs intact; a reload brings both back. Along the way: the
 * Train tab lists the features the model will read, the tabs move with the arrow keys, and
 * Evaluate opens at its top.
 */
import { expect, type Page, test } from '@playwright/test';
import { datasetEntry, loadSample, openApp } from './helpers';

function stepCards(page: Page) {
  return page.getByRole('list', { name: 'Notebook steps' }).locator('li.step-card');
}

async function addStep(page: Page, step: string): Promise<void> {
  await page.getByRole('button', { name: '+ Add step' }).click();
  const search = page.getByRole('searchbox', { name: 'Search steps' });
  await search.fill(step);
  // Enter picks the step the search names.
  await search.press('Enter');
  await expect(page.locator(`li.step-card[data-step="${step}"]`)).toHaveCount(1);
}

async function trainLogistic(page: Page): Promise<void> {
  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByTestId('train-target').selectOption('target');
  await expect(page.getByTestId('feature-list')).toContainText('4 features:');
  await expect(page.getByTestId('feature-list')).toContainText('target (target) left out');
  await page.getByTestId('train-button').click();
  await expect(
    page.getByTestId('runs-table').locator('tbody tr[data-run="LogisticRegression"]'),
  ).toBeVisible();
}

test('each dataset keeps its own notebook and runs; switching and reloading keep them', async ({ page }) => {
  await openApp(page);
  await loadSample(page, 'Iris flowers', '150 rows × 5 columns');
  await addStep(page, 'StandardScaler');
  await expect(
    page.locator('li.step-card[data-step="StandardScaler"]').getByTestId('step-status'),
  ).toHaveText(/^(ok|cached)$/);
  await trainLogistic(page);

  // Evaluate opens at its top even when Train was scrolled down; the arrow keys move between tabs.
  const panel = page.locator('section.tab-panel');
  await panel.evaluate((el) => el.scrollTo(0, el.scrollHeight));
  expect(await panel.evaluate((el) => el.scrollTop)).toBeGreaterThan(0);
  await page.getByRole('tab', { name: 'Train' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Evaluate' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('evaluate-panel')).toBeVisible();
  expect(await panel.evaluate((el) => el.scrollTop)).toBe(0);

  // A second dataset starts with its own, empty notebook and no runs.
  await page.getByRole('button', { name: 'Samples…' }).click();
  await loadSample(page, 'Wine', '178 rows × 14 columns');
  await expect(stepCards(page)).toHaveCount(0);
  await expect(page.getByText('No steps yet: add one to clean or transform the data.')).toBeVisible();
  await expect(page.getByLabel('Target', { exact: true })).toHaveValue('');
  // The Data tab shows wine as loaded, not anything standardized by iris's notebook.
  await expect(page.getByRole('button', { name: 'After notebook' })).toHaveCount(0);
  await expect(page.locator('.vt-row[data-row="0"] td.vt-cell').first()).toHaveText('14.23');
  await page.getByRole('tab', { name: 'Train' }).click();
  await expect(page.getByText('Trained models appear here.')).toBeVisible();
  await expect(page.getByTestId('runs-table')).toHaveCount(0);

  // Back to iris: its notebook, its output and its runs.
  await datasetEntry(page, 'Iris flowers').click();
  await expect(stepCards(page)).toHaveCount(1);
  await expect(page.locator('li.step-card[data-step="StandardScaler"]')).toBeVisible();
  await expect(page.getByLabel('Target', { exact: true })).toHaveValue('target');
  await expect(page.getByRole('button', { name: 'After notebook' })).toHaveAttribute('aria-pressed', 'true');
  await page.getByRole('tab', { name: 'Train' }).click();
  await expect(
    page.getByTestId('runs-table').locator('tbody tr[data-run="LogisticRegression"]'),
  ).toBeVisible();

  // A reload restores the notebook on screen and its runs; wine, loaded again, still has its own.
  await page.reload();
  await expect(page.locator('li.step-card[data-step="StandardScaler"]')).toBeVisible();
  await page.getByRole('tab', { name: 'Train' }).click();
  await expect(
    page.getByTestId('runs-table').locator('tbody tr[data-run="LogisticRegression"]'),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Samples…' }).click();
  await loadSample(page, 'Wine', '178 rows × 14 columns');
  await expect(stepCards(page)).toHaveCount(0);
});
