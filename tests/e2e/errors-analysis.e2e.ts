/**
 * Error analysis (issue 7), on the UI side: train LogisticRegression on breast cancer, open the run in Evaluate, see
 * the Errors section (summary, slices with intervals, worst rows), open the worst slice and find
 * its rows selected in the Data table (same count as the slice's size, listed with "Show selected
 * only"), then click a confusion-matrix cell and find its rows selected in Explore, save them as a
 * named slice, and reselect that slice from the Explore tab.
 */
import { expect, test } from '@playwright/test';
import { loadSample, openApp } from './helpers';

test('error slices and confusion cells select their rows in the Data and Explore views', async ({ page }) => {
  await openApp(page);
  await loadSample(page, 'Breast cancer (Wisconsin diagnostic)', '569 rows × 31 columns');
  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByTestId('train-target').selectOption('target');
  await page.getByTestId('train-button').click();
  const row = page.getByTestId('runs-table').locator('tbody tr[data-run="LogisticRegression"]');
  await expect(row.locator('td[data-metric="accuracy"]').first()).toHaveText(/^0\.\d{3} ± /);
  await row.getByRole('button', { name: 'Evaluate' }).click();

  const errors = page.getByTestId('eval-errors');
  await expect(errors.getByTestId('errors-summary')).toContainText(
    /\d+ of 569 out-of-fold rows misclassified: error rate [\d.]+% \[[\d.]+%, [\d.]+%\]\. \d+ slices tested/,
  );
  await expect(errors.getByTestId('worst-rows').locator('tbody tr').first()).toBeVisible();
  const slice = errors.getByTestId('error-slices').locator('tbody tr[data-slice="0"]');
  await expect(slice.locator('svg.ci-bar')).toBeVisible();
  const size = (await slice.getByTestId('slice-size').textContent())!.trim();
  const description = (await slice.getByTestId('slice-button').textContent())!.trim();

  // The worst slice: its rows listed here and selected in the Data table.
  await slice.getByTestId('slice-button').click();
  await expect(errors.getByTestId('errors-picked-count')).toHaveText(size);
  await expect(errors.getByTestId('errors-picked')).toContainText(description);
  await expect(errors.getByTestId('selected-rows').locator('tbody tr')).toHaveCount(Number(size));
  await errors.getByRole('button', { name: 'Open in Data' }).click();
  await expect(page.getByTestId('table-selected-count')).toHaveText(`${size} selected`);
  await page.getByTestId('show-selected-only').check();
  await expect(page.getByTestId('selected-rows').locator('tbody tr')).toHaveCount(Number(size));

  // A confusion cell (the second class, predicted right): its rows, as many as the cell counts.
  await page.getByRole('tab', { name: 'Evaluate' }).click();
  await expect(page.locator('[data-chart="confusion"] .cell')).toHaveCount(4);
  const cell = page.locator('[data-chart="confusion"] .cell[data-true="1"][data-pred="1"]');
  const count = (await cell.locator('text').textContent())!.trim();
  const which = (await cell.locator('title').textContent())!.split(':')[0]!; // "true benign, predicted benign"
  await cell.click();
  await expect(errors.getByTestId('errors-picked')).toContainText(`${which}:`);
  await expect(errors.getByTestId('errors-picked-count')).toHaveText(count);
  await expect(page.locator('[data-chart="confusion"] .cell.selected')).toHaveAttribute('data-true', '1');
  await errors.getByRole('textbox', { name: 'Name of the slice' }).fill('right, class 2');
  await errors.getByTestId('save-error-slice').click();
  await expect(errors).toContainText('Saved slice "right, class 2"');
  await errors.getByRole('button', { name: 'Open in Explore' }).click();
  await expect(page.getByTestId('explore-selected-count')).toHaveText(`${count} of 569 rows selected`);
  await expect(page.getByTestId('explore-selection-label')).toHaveText(which);

  // The named slice is listed in Explore and selects its rows again.
  await page.getByRole('button', { name: 'Clear', exact: true }).click();
  await expect(page.getByTestId('explore-selected-count')).toContainText('569 rows');
  await page
    .getByTestId('explore-slices')
    .getByRole('button', { name: `right, class 2 (${count})` })
    .click();
  await expect(page.getByTestId('explore-selected-count')).toHaveText(`${count} of 569 rows selected`);
});
