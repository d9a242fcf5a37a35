import { writeFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import { cell, csvFile, datasetEntry, loadSample, openApp } from './helpers';

const PNG = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1,
]);

const BAD_FILES = [
  {
    file: csvFile('quotes.csv', 'a,b\n1,2\n3,"never closed\n5,6\n'),
    title: 'Could not parse the file',
    message: /quotes\.csv.*line 3/,
  },
  { file: csvFile('empty.csv', ''), title: 'The file is empty', message: /empty\.csv/ },
  {
    file: { name: 'picture.csv', mimeType: 'text/csv', buffer: PNG },
    title: 'This file format is not supported',
    message: /picture\.csv/,
  },
];

test('broken files show a named error and leave the loaded data alone', async ({ page }) => {
  await openApp(page);
  await loadSample(page, 'Iris flowers', '150 rows × 5 columns');

  for (const bad of BAD_FILES) {
    await page.getByTestId('file-input').setInputFiles(bad.file);
    const alert = page.getByRole('alert').filter({ hasText: bad.file.name });
    await expect(alert).toBeVisible();
    await expect(alert).toContainText(bad.title);
    await expect(alert).toContainText(bad.message);
    // The previous dataset is still listed, selected and readable.
    await expect(datasetEntry(page, 'Iris flowers')).toHaveAttribute('aria-current', 'true');
    await expect(page.getByTestId('shape')).toHaveText('150 rows × 5 columns');
    await expect(cell(page, 0, 0)).toHaveText('5.1');
    await alert.getByRole('button', { name: 'Dismiss' }).click();
    await expect(alert).toHaveCount(0);
  }
  await expect(page.getByRole('list', { name: 'Loaded datasets' }).getByRole('listitem')).toHaveCount(1);
});

test('the unbalanced quote error names the line and says what to do', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('file-input').setInputFiles(BAD_FILES[0]!.file);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('ParseError');
  await expect(alert).toContainText('At line 3 of quotes.csv');
  await expect(alert).toContainText('Check line 3');
});

/** Starts a long job, cancels it from the status bar and checks that Wine is still there. */
async function cancelAndCheck(page: Page, label: string): Promise<void> {
  const job = page.getByTestId('job');
  await expect(job).toContainText(label);
  await job.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'cancelled' })).toBeVisible();
  await expect(job).toContainText('Ready');
  await expect(page.getByRole('list', { name: 'Loaded datasets' }).getByRole('listitem')).toHaveCount(1);
  await datasetEntry(page, 'Wine recognition').click();
  await expect(page.getByTestId('shape')).toHaveText('178 rows × 14 columns');
  await expect(cell(page, 0, 0)).toHaveText('14.23');
}

test('cancelling synthetic generation keeps the previous data', async ({ page }) => {
  await openApp(page);
  await loadSample(page, 'Wine recognition', '178 rows × 14 columns');
  await page.getByRole('button', { name: 'Samples…' }).click();
  const synthetic = page.getByRole('form', { name: 'Synthetic data' });
  await expect(synthetic.getByLabel('Rows')).toHaveValue('1000000');
  await synthetic.getByRole('button', { name: 'Generate' }).click();
  await cancelAndCheck(page, 'Generating 1,000,000 synthetic rows');
});

test('cancelling a large file load keeps the previous data', async ({ page }, testInfo) => {
  // ~60 MB of CSV: too big for an in-memory buffer upload, and loads for seconds in the worker.
  const path = testInfo.outputPath('large.csv');
  const line = '1.25,2.5,hello world,2024-01-02,true,123456\n';
  writeFileSync(path, `a,b,c,d,e,f\n${line.repeat(1_400_000)}`);
  await openApp(page);
  await loadSample(page, 'Wine recognition', '178 rows × 14 columns');
  await page.getByTestId('file-input').setInputFiles(path);
  await cancelAndCheck(page, 'Loading large.csv');
});
