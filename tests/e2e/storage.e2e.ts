import { expect, type Page, test } from '@playwright/test';
import { cell, csvFile, datasetEntry, openApp, PEOPLE_CSV } from './helpers';

const stored = (page: Page) => page.getByRole('list', { name: 'Stored datasets' });

test('a loaded file comes back after a reload without picking it again, and can be deleted', async ({
  page,
}) => {
  await openApp(page);
  await expect(page.getByText('No datasets stored yet.')).toBeVisible();
  await page.getByTestId('file-input').setInputFiles(csvFile('people.csv', PEOPLE_CSV));
  await expect(page.getByTestId('shape')).toHaveText('4 rows × 5 columns');
  await expect(stored(page).getByRole('listitem')).toHaveCount(1);
  await expect(stored(page)).toContainText('people.csv');
  await expect(stored(page)).toContainText('4 × 5');
  await expect(page.getByTestId('storage-usage')).toContainText(/used/);
  // A type the user chose is part of what comes back.
  await page.getByLabel('Type of age').selectOption('text');
  await expect(page.locator('th.vt-colheader[data-column="age"]')).toHaveAttribute('data-type', 'text');

  await page.reload();
  await expect(datasetEntry(page, 'people.csv')).toBeVisible();
  await expect(page.getByTestId('shape')).toHaveText('4 rows × 5 columns');
  await expect(cell(page, 0, 0)).toHaveText('Ada');
  await expect(cell(page, 3, 3)).toHaveText('2018-06-01');
  await expect(page.locator('th.vt-colheader[data-column="age"]')).toHaveAttribute('data-type', 'text');
  await expect(page.locator('th.vt-colheader[data-column="age"]')).toContainText('inferred integer');

  await page.getByRole('button', { name: 'Delete stored people.csv' }).click();
  await expect(stored(page)).toHaveCount(0);
  await expect(page.getByText('No datasets stored yet.')).toBeVisible();
  // Still loaded for this session; gone after the next reload.
  await expect(cell(page, 1, 0)).toHaveText('Grace');
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Start with data' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Loaded datasets' })).toHaveCount(0);
});

test('when browser storage is full the dataset still works for the session and says so', async ({
  page,
  context,
}) => {
  await openApp(page);
  // A real quota error from Chromium: shrink this origin's quota to almost nothing.
  const cdp = await context.newCDPSession(page);
  await cdp.send('Storage.overrideQuotaForOrigin', {
    origin: new URL(page.url()).origin,
    quotaSize: 1,
  });
  await page.getByTestId('file-input').setInputFiles(csvFile('people.csv', PEOPLE_CSV));
  await expect(page.getByTestId('shape')).toHaveText('4 rows × 5 columns');
  const note = page.getByTestId('not-stored');
  await expect(note).toContainText('Browser storage is full');
  await expect(note).toContainText('"people.csv"');
  await expect(note).toContainText('works for this session');
  await expect(cell(page, 0, 0)).toHaveText('Ada');
  await expect(page.getByText('No datasets stored yet.')).toBeVisible();
  await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(page.url()).origin });
});

test('removing a dataset from the list also forgets its stored copy', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('file-input').setInputFiles(csvFile('people.csv', PEOPLE_CSV));
  await expect(stored(page)).toContainText('people.csv');
  await page.getByRole('button', { name: 'Remove people.csv' }).click();
  await expect(page.getByText('No datasets stored yet.')).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Start with data' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Loaded datasets' })).toHaveCount(0);
});
