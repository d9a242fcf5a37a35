/**
 * Issue 7's "done when", as one user's session: train a model on a sample, change a what-if field
 * and see the prediction change, open the worst error slice, export the model, and then — in this
 * Node process — load the exported artifact with the BUILT benchtop-runtime and reproduce exactly
 * what the app showed: the what-if prediction and its probability, and every row of the app's
 * predictions CSV.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { buildRuntime, importRuntime } from '../support/runtime-build';
import { downloads, parseCsv } from './downloads';
import { loadSample, openApp } from './helpers';

const FEATURES = ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)'];

let runtime: Awaited<ReturnType<typeof importRuntime>>;
let outDir: string;
test.beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'benchtop-issue7-'));
  runtime = await importRuntime((await buildRuntime(outDir)).file);
});
test.afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

test('train → what-if → worst slice → export → the built runtime reproduces the app', async ({ page }) => {
  await openApp(page);
  await loadSample(page, 'Iris flowers', '150 rows × 5 columns');
  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByTestId('train-target').selectOption('target');
  await page.getByTestId('train-button').click();
  const run = page.getByTestId('runs-table').locator('tbody tr[data-run="LogisticRegression"]');
  await expect(run.locator('td[data-metric="accuracy"]')).toHaveText(/^0\.\d{3} ±/);

  // What-if: from the typical row, shrink the petals; the prediction changes.
  await run.getByRole('button', { name: 'Prototype' }).click();
  const prediction = page.getByTestId('proto-prediction');
  await expect(prediction).toHaveText(/^\w+ · p = 0\.\d{3}$/);
  const before = (await prediction.textContent())!;
  await page.getByTestId('field-petal length (cm)').fill('1.7');
  await page.getByTestId('field-petal width (cm)').fill('0.3');
  await expect(prediction).not.toHaveText(before);
  await expect(prediction).toHaveText(/^setosa · p = 0\.\d{3}$/);
  const shown = (await prediction.textContent())!;
  const row: Record<string, string> = {};
  for (const f of FEATURES) row[f] = await page.getByTestId(`field-${f}`).inputValue();

  // Error analysis: the worst slice selects its rows.
  await page.getByRole('tab', { name: 'Evaluate' }).click();
  const errors = page.getByTestId('eval-errors');
  const slice = errors.getByTestId('error-slices').locator('tbody tr[data-slice="0"]');
  await expect(slice).toBeVisible();
  const size = (await slice.getByTestId('slice-size').textContent())!.trim();
  await slice.getByTestId('slice-button').click();
  await expect(errors.getByTestId('errors-picked-count')).toHaveText(size);
  await errors.getByRole('button', { name: 'Open in Data' }).click();
  await expect(page.getByTestId('table-selected-count')).toHaveText(`${size} selected`);

  // Export the model and the app's predictions.
  await page.getByRole('tab', { name: 'Export' }).click();
  const [bundle] = await downloads(page, 'export-download-bundle');
  const [csv] = await downloads(page, 'export-download-predictions');

  // The built runtime, on the exported artifact, gives what the app showed.
  const model = runtime.loadArtifact(new Uint8Array(bundle!.bytes));
  const whatIf = await model.predict([row]);
  const best = Math.max(...whatIf.probabilities![0]!);
  expect(`${whatIf.predictions[0]} · p = ${best.toFixed(3)}`).toBe(shown);

  const [header, ...rows] = parseCsv(csv!.bytes.toString('utf8'));
  const inputs = rows.map((r) => Object.fromEntries(FEATURES.map((f) => [f, r[header!.indexOf(f)]!])));
  const again = await model.predict(inputs);
  const at = header!.indexOf('prediction');
  expect(rows.map((r) => r.slice(at))).toEqual(
    again.predictions.map((p, i) => [String(p), ...again.probabilities![i]!.map(String)]),
  );
});
