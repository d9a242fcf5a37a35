/**
 * Issue 7 on the UI side, end to end: train on iris, download the model (.benchtop, and .json +
 * .bin), the predictions CSV, the Python script and the HTML report from the Export tab; then, in
 * this Node process, load the model with the BUILT benchtop-runtime and check it reproduces the
 * app's predictions CSV exactly (every prediction and probability, as text). Then the bad inputs:
 * corrupted, malformed and newer artifacts and a file missing a column each give a clear message,
 * and nothing else is lost.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { buildRuntime, importRuntime } from '../support/runtime-build';
import { downloads, parseCsv } from './downloads';
import { csvFile, datasetEntry, loadSample, openApp } from './helpers';

type Runtime = Awaited<ReturnType<typeof importRuntime>>;
let runtime: Runtime;
let outDir: string;

// A fresh build every run (≈2 s) rather than whatever dist-runtime/ holds: a stale bundle from
// older sources would test the wrong code.
test.beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'benchtop-runtime-e2e-'));
  runtime = await importRuntime((await buildRuntime(outDir)).file);
});
test.afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

test('export a trained model, reproduce its predictions with the built runtime, and refuse bad inputs', async ({
  page,
}) => {
  await openApp(page);
  await loadSample(page, 'Iris flowers', '150 rows × 5 columns');
  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByTestId('train-target').selectOption('target');
  await page.getByTestId('train-button').click();
  await expect(
    page
      .getByTestId('runs-table')
      .locator('tbody tr[data-run="LogisticRegression"] td[data-metric="accuracy"]'),
  ).toHaveText(/^0\.\d{3} ± /);

  await page.getByRole('tab', { name: 'Export' }).click();
  await expect(page.getByTestId('export-model-select')).toHaveValue(/^run:/);

  // The model as one file (this fits the run on every row: a job, then the download).
  const [bundle] = await downloads(page, 'export-download-bundle');
  expect(bundle!.name).toBe('LogisticRegression-target.benchtop');
  const [json, bin] = await downloads(page, 'export-download-files', 2);
  expect([json!.name, bin!.name]).toEqual([
    'LogisticRegression-target.json',
    'LogisticRegression-target.bin',
  ]);
  const [predictions] = await downloads(page, 'export-download-predictions');
  expect(predictions!.name).toBe('Iris_flowers-predictions-LogisticRegression-target.csv');
  const [python] = await downloads(page, 'export-download-python');
  expect(python!.name).toBe('LogisticRegression-target.py');
  expect(python!.bytes.toString('utf8')).toContain('DATA = sys.argv[1] if len(sys.argv) > 1 else "iris.csv"');
  const [report] = await downloads(page, 'export-download-report');
  const html = report!.bytes.toString('utf8');
  expect(html).toContain('<svg');
  expect(html).not.toMatch(/<script|<link|\ssrc=/);
  expect(html).toMatch(/accuracy.*0\.\d{3} ± 0\.\d{3}/s);

  // The app's CSV against the BUILT runtime, cell for cell.
  const [header, ...rows] = parseCsv(predictions!.bytes.toString('utf8'));
  expect(header).toEqual([
    'sepal length (cm)',
    'sepal width (cm)',
    'petal length (cm)',
    'petal width (cm)',
    'target',
    'prediction',
    'probability_setosa',
    'probability_versicolor',
    'probability_virginica',
  ]);
  expect(rows).toHaveLength(150);
  const inputs = rows.map((r) => Object.fromEntries(header!.slice(0, 5).map((name, j) => [name, r[j]!])));
  const fromBundle = await runtime.loadArtifact(new Uint8Array(bundle!.bytes)).predict(inputs);
  const fromFiles = await runtime
    .loadArtifact(json!.bytes.toString('utf8'), new Uint8Array(bin!.bytes))
    .predict(inputs);
  expect(fromFiles).toEqual(fromBundle);
  expect(fromBundle.drift).toEqual([]);
  const expected = fromBundle.predictions.map((p, i) => [
    String(p),
    ...fromBundle.probabilities![i]!.map(String),
  ]);
  expect(rows.map((r) => r.slice(5))).toEqual(expected);
  // Trained on iris with 5-fold CV at ~0.95: the model fitted on every row agrees with the labels.
  expect(rows.filter((r) => r[5] === r[4]).length).toBeGreaterThan(140);

  // Bad artifacts: each a clear message in the Score section, and nothing else changes.
  const score = page.getByTestId('export-score');
  const error = page.getByTestId('score-error');
  const flipped = Buffer.from(bundle!.bytes);
  flipped[flipped.length - 5] = flipped[flipped.length - 5]! ^ 0xff;
  await page.getByTestId('score-import').setInputFiles({
    name: 'flipped.benchtop',
    mimeType: 'application/octet-stream',
    buffer: flipped,
  });
  await expect(error).toContainText(
    'This model artifact is corrupted: the weights file does not match the model',
  );
  await page.getByTestId('score-import').setInputFiles([
    {
      name: 'm.json',
      mimeType: 'application/json',
      buffer: Buffer.from('{"format": "benchtop-model", "vers'),
    },
    { name: 'm.bin', mimeType: 'application/octet-stream', buffer: bin!.bytes },
  ]);
  await expect(error).toContainText('corrupted: its JSON does not parse');
  const newer = JSON.stringify({ ...JSON.parse(json!.bytes.toString('utf8')), version: 99 });
  await page.getByTestId('score-import').setInputFiles([
    { name: 'newer.json', mimeType: 'application/json', buffer: Buffer.from(newer) },
    { name: 'newer.bin', mimeType: 'application/octet-stream', buffer: bin!.bytes },
  ]);
  await expect(error).toContainText('This model was made by a newer Benchtop (v99)');
  await page.getByTestId('score-import').setInputFiles({
    name: 'only.json',
    mimeType: 'application/json',
    buffer: json!.bytes,
  });
  await expect(error).toContainText('Cannot import only.json as a model.');
  await expect(error).toContainText('Pick the .bin weights file together with the .json');
  await expect(page.getByTestId('export-model-select')).toHaveValue(/^run:/);

  // A good import: the exported file comes back as a model to score with.
  await page.getByTestId('score-import').setInputFiles({
    name: 'LogisticRegression-target.benchtop',
    mimeType: 'application/octet-stream',
    buffer: bundle!.bytes,
  });
  await expect(page.getByTestId('score-note')).toContainText('Imported LogisticRegression-target.benchtop');
  await expect(error).toHaveCount(0);

  // New data missing a column: named in the message; the notebook stays on iris.
  const lines = rows.slice(0, 12).map((r) => [r[0], r[1], r[2]].join(','));
  await page
    .getByTestId('score-file')
    .setInputFiles(
      csvFile(
        'new-flowers.csv',
        ['sepal length (cm),sepal width (cm),petal length (cm)', ...lines].join('\n'),
      ),
    );
  await expect(page.getByTestId('score-dataset')).toContainText('new-flowers.csv · 12 rows');
  await expect(page.getByTestId('score-dataset').locator('option:checked')).toHaveText(
    'new-flowers.csv · 12 rows',
  );
  await page.getByTestId('score-button').click();
  await expect(error).toContainText(
    'new-flowers.csv is missing a column the model needs: "petal width (cm)".',
  );
  await expect(datasetEntry(page, 'Iris flowers')).toHaveAttribute('aria-current', 'true');
  await expect(datasetEntry(page, 'new-flowers.csv')).not.toHaveAttribute('aria-current', 'true');

  // Scoring iris itself with the imported model: every row, no drift.
  await page.getByTestId('score-dataset').selectOption({ label: 'Iris flowers · 150 rows' });
  await page.getByTestId('score-button').click();
  await expect(score.getByTestId('score-report')).toContainText('150 of 150 rows scored · no column shifted');
  await expect(score.getByTestId('score-preview').locator('tbody tr')).toHaveCount(20);
  await expect(
    score.getByTestId('score-preview').locator('tbody tr').first().locator('td.prediction'),
  ).toHaveText(rows[0]![5]!);
  await expect(error).toHaveCount(0);
});
