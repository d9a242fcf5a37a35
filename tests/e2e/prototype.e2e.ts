/**
 * Issue 7's Prototype tab through the built app: train LogisticRegression on iris, press
 * "Prototype" on its run (fitted on every row in the worker), move sliders and type in fields and
 * see the prediction and probabilities change, get a clear message for a value that is not a
 * number (the text stays), draw partial dependence with ICE curves, and apply the smallest change
 * that flips the prediction.
 */
import { expect, test } from '@playwright/test';
import { loadSample, openApp } from './helpers';

test('prototype a trained iris model: what-if edits, partial dependence, counterfactual', async ({
  page,
}) => {
  await openApp(page);
  await loadSample(page, 'Iris flowers', '150 rows × 5 columns');
  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByTestId('train-target').selectOption('target');
  await page.getByTestId('train-button').click();
  const run = page.getByTestId('runs-table').locator('tbody tr[data-run="LogisticRegression"]');
  await expect(run.locator('td[data-metric="accuracy"]')).toHaveText(/^0\.\d{3} ±/);

  await run.getByRole('button', { name: 'Prototype' }).click();
  await expect(page.getByRole('tab', { name: 'Prototype' })).toHaveAttribute('aria-selected', 'true');
  const prediction = page.getByTestId('proto-prediction');
  // The typical iris (medians) is a versicolor.
  await expect(prediction).toHaveText(/^versicolor · p = 0\.\d{3}$/);
  await expect(page.getByTestId('proto-model')).toContainText(
    'LogisticRegression → target · fitted on every row',
  );
  await expect(page.locator('[data-chart="probabilities"] svg .class-bar')).toHaveCount(3);
  const before = await prediction.textContent();

  // Sliders: petal length and width to their smallest observed values → setosa.
  const length = page.getByTestId('slider-petal length (cm)');
  await length.focus();
  await length.press('Home');
  await expect(page.getByTestId('field-petal length (cm)')).toHaveValue('1');
  await expect(prediction).not.toHaveText(before!);
  await page.getByTestId('slider-petal width (cm)').fill('0.1');
  await expect(prediction).toHaveText(/^setosa/);
  await expect(page.getByTestId('proto-change')).toHaveText(/was versicolor for the typical row/);
  await expect(page.locator('.proto-field[data-feature="petal length (cm)"] .proto-notes')).toContainText(
    'was 4.35',
  );

  // Typing: a value outside the training range is flagged by the runtime; text that is not a number
  // stays in its box with a message, and the row cannot be scored (this pipeline has no imputer).
  const sepal = page.getByTestId('field-sepal width (cm)');
  await sepal.fill('9');
  await expect(
    page.locator('.proto-field[data-feature="sepal width (cm)"] [data-issue="out-of-range"]'),
  ).toHaveText(/outside the training range 2–4\.4/);
  await sepal.fill('wide');
  await expect(page.locator('.proto-field[data-feature="sepal width (cm)"] .proto-invalid')).toHaveText(
    'not a number',
  );
  await expect(
    page.getByText(/The model cannot score this row: sepal width \(cm\) is missing/),
  ).toBeVisible();
  await expect(sepal).toHaveValue('wide');
  await page.getByTestId('proto-reset').click();
  await expect(prediction).toHaveText(before!);
  await expect(sepal).toHaveValue('3');

  // A dataset row: row 101 is a virginica; its actual class is shown.
  await page.getByTestId('proto-row').fill('101');
  await page.getByTestId('proto-load-row').click();
  await expect(page.getByTestId('proto-change')).toContainText('actual value in the data: virginica');

  // Partial dependence over all 150 rows, with 50 ICE curves.
  // The selects show their choice: the first feature, the predicted class (they were blank).
  const shown = (testid: string) =>
    page.getByTestId(testid).evaluate((s: HTMLSelectElement) => s.selectedOptions[0]?.textContent ?? '');
  expect(await shown('pdp-feature')).not.toBe('');
  expect(await shown('pdp-class')).toBe('the predicted class');
  await page.getByTestId('pdp-feature').selectOption('petal width (cm)');
  await page.getByTestId('pdp-compute').click();
  await expect(page.locator('[data-chart="pdp"] svg .ice path')).toHaveCount(50);
  await expect(page.locator('[data-chart="pdp"] svg .average')).toBeVisible();
  await expect(page.getByTestId('pdp-caption')).toContainText('mean over all 150 rows');

  // The smallest change that flips the prediction, applied to the form.
  await page.getByTestId('cf-search').click();
  const result = page.getByTestId('cf-result');
  await expect(result).toContainText(/instead of virginica/);
  const flipped = (await result.locator('strong').first().textContent())!;
  await page.getByTestId('cf-apply').click();
  await expect(prediction).toHaveText(new RegExp(`^${flipped}`));
});
