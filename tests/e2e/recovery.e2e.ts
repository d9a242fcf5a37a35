import { expect, type Locator, type Page, test } from '@playwright/test';
import { cell, csvFile, datasetEntry, PEOPLE_CSV } from './helpers';

test('a worker killed mid-job is replaced, the data comes back and the job can run again', async ({
  page,
}) => {
  await openWithPeopleStored(page);

  // A long job: three million synthetic rows (from the gallery's form).
  await page.getByRole('button', { name: 'Samples…' }).click();
  const synthetic = page.getByRole('form', { name: 'Synthetic data' });
  await synthetic.getByLabel('Rows').fill('3000000');
  await synthetic.getByLabel('Seed').fill('7');
  await synthetic.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByTestId('job')).toContainText('Generating');
  await page.evaluate(() =>
    (window as unknown as { __benchtop: { killWorker(): void } }).__benchtop.killWorker(),
  );

  await expect(page.getByTestId('recovery-notice')).toHaveText(
    /The engine restarted; your data was restored\./,
  );
  // The job in flight says it was interrupted instead of spinning forever.
  const alert = page.getByRole('alert').filter({ hasText: 'Generating' });
  await expect(alert).toContainText('The engine stopped while working');
  await expect(page.getByTestId('job')).toContainText('Ready');

  // The dataset list and the rows are intact (read from the new worker).
  await expect(page.getByRole('list', { name: 'Loaded datasets' }).getByRole('listitem')).toHaveCount(1);
  await datasetEntry(page, 'people.csv').click();
  await expect(page.getByTestId('shape')).toHaveText('4 rows × 5 columns');
  await expect(cell(page, 0, 0)).toHaveText('Ada');
  await expect(cell(page, 3, 1)).toHaveText('52');

  // The job runs to completion in the new worker.
  await alert.getByRole('button', { name: 'Dismiss' }).click();
  await page.getByRole('button', { name: 'Samples…' }).click();
  await synthetic.getByLabel('Rows').fill('3000000');
  await synthetic.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByTestId('shape')).toHaveText(/^3,000,000 rows × \d+ columns$/, { timeout: 90_000 });
  await expect(page.getByRole('list', { name: 'Loaded datasets' }).getByRole('listitem')).toHaveCount(2);
});

/** The app with its test hooks, and people.csv loaded and stored (so a restart can bring it back). */
async function openWithPeopleStored(page: Page): Promise<void> {
  // ?testhooks exposes window.__benchtop.killWorker(); without it there is no such hook.
  await page.goto('./?testhooks');
  await expect(page.getByRole('heading', { name: 'Start with data' })).toBeVisible();
  await page.getByTestId('file-input').setInputFiles(csvFile('people.csv', PEOPLE_CSV));
  await expect(page.getByRole('list', { name: 'Stored datasets' })).toContainText('people.csv');
}

function stepCard(page: Page, step: string): Locator {
  return page.getByRole('list', { name: 'Notebook steps' }).locator(`li[data-step="${step}"]`);
}

test('a real worker crash (an uncaught error inside it) restores the datasets and the notebook, and says so', async ({
  page,
}) => {
  await openWithPeopleStored(page);
  await page.getByRole('button', { name: 'Samples…' }).click();
  await page.getByRole('button', { name: 'Load sample Iris flowers' }).click();
  await expect(page.getByTestId('shape')).toHaveText('150 rows × 5 columns');
  await page.getByRole('button', { name: '+ Add step' }).click();
  await page.getByRole('searchbox', { name: 'Search steps' }).fill('Standa');
  await page.getByRole('button', { name: 'Add StandardScaler', exact: true }).click();
  await expect(stepCard(page, 'StandardScaler').getByTestId('step-status')).toHaveText(/^(ok|cached)$/);

  // The worker throws an uncaught error: nothing tells the client but the worker's error event.
  await page.evaluate(() =>
    (window as unknown as { __benchtop: { crashWorker(): void } }).__benchtop.crashWorker(),
  );

  await expect(page.getByTestId('recovery-notice')).toContainText(
    'The engine restarted; your data was restored.',
  );
  // Both datasets are back: the stored file from browser storage, the sample rebuilt.
  const loaded = page.getByRole('list', { name: 'Loaded datasets' }).getByRole('listitem');
  await expect(loaded).toHaveCount(2);
  await datasetEntry(page, 'people.csv').click();
  await expect(page.getByTestId('shape')).toHaveText('4 rows × 5 columns');
  await expect(cell(page, 1, 0)).toHaveText('Grace');
  // The notebook is still there and runs in the new worker.
  await datasetEntry(page, 'Iris flowers').click();
  await expect(stepCard(page, 'StandardScaler')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Iris flowers after the notebook' })).toBeVisible();
  await expect(page.getByTestId('output-shape')).toContainText('150 rows');
  await expect(stepCard(page, 'StandardScaler').getByTestId('step-status')).toHaveText(/^(ok|cached)$/);
});

test('without ?testhooks the page exposes no hook', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByRole('heading', { name: 'Start with data' })).toBeVisible();
  expect(await page.evaluate(() => '__benchtop' in window)).toBe(false);
});
