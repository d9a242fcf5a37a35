/**
 * Issue 14, item 7: a date column shows the format it was read with, and the user can change it —
 * the column is read again in the worker, the header and the panel say how many values did not
 * fit, nothing is lost (the first format brings them back), a guessed day/month order says so and
 * flips in one click, a bad custom format is refused by name, and the choice survives a reload.
 */
import { expect, type Page, test } from '@playwright/test';
import { cell, csvFile, header, openApp } from './helpers';

// "when" is day-first (13/01, 25/12 decide it); "shipped" fits both orders (every day ≤ 12).
const SALES_CSV = [
  'id,when,shipped,amount',
  '1,13/01/2000,01/02/2000,10',
  '2,25/12/1999,03/04/2000,20',
  '3,01/02/2000,05/06/2000,30',
  '4,03/04/2000,07/08/2000,40',
].join('\n');

const formatButton = (page: Page, column: string) =>
  page.getByRole('button', { name: `Date format of ${column}:` });
const panel = (page: Page, column: string) => page.getByRole('dialog', { name: `Date format of ${column}` });

test('a date column shows its format; another format re-reads it and says what did not fit', async ({
  page,
}) => {
  await openApp(page);
  await page.getByTestId('file-input').setInputFiles(csvFile('sales.csv', SALES_CSV));
  await expect(page.getByTestId('shape')).toHaveText('4 rows × 4 columns');
  await expect(header(page, 'when')).toHaveAttribute('data-type', 'date');
  await expect(formatButton(page, 'when')).toHaveText('%d/%m/%Y');
  await expect(cell(page, 0, 1)).toHaveText('2000-01-13');
  await expect(header(page, 'when')).toContainText('0 missing');

  // Month-first: 13/01 and 25/12 do not fit.
  await formatButton(page, 'when').click();
  await panel(page, 'when').locator('input[value="%m/%d/%Y"]').check();
  await expect(panel(page, 'when').getByTestId('date-fit')).toHaveText(
    '2 of 4 values did not fit %m/%d/%Y and show as missing. Nothing is lost: another format reads them again.',
  );
  await expect(formatButton(page, 'when')).toHaveText('%m/%d/%Y');
  await expect(header(page, 'when').getByTestId('unfit')).toHaveText('2 unfit ·');
  await expect(header(page, 'when')).toContainText('2 missing');
  await expect(cell(page, 0, 1)).toHaveText('null');
  await expect(cell(page, 2, 1)).toHaveText('2000-01-02');

  // Back to day-first: every value again.
  await panel(page, 'when').locator('input[value="%d/%m/%Y"]').check();
  await expect(panel(page, 'when').getByTestId('date-fit')).toHaveText('All 4 values fit %d/%m/%Y.');
  await expect(header(page, 'when').getByTestId('unfit')).toHaveCount(0);
  await expect(header(page, 'when')).toContainText('0 missing');
  await expect(cell(page, 0, 1)).toHaveText('2000-01-13');

  // A bad custom format is refused where it was typed; the column stays as it was.
  await panel(page, 'when').getByLabel('Custom date format (strftime)').fill('%d/%m/%Q');
  await panel(page, 'when').getByRole('button', { name: 'Read' }).click();
  await expect(panel(page, 'when').getByRole('alert')).toContainText('%Q');
  await expect(panel(page, 'when').getByRole('alert')).toContainText('e.g. "%d/%m/%Y"');
  await expect(formatButton(page, 'when')).toHaveText('%d/%m/%Y');
  await page.keyboard.press('Escape');
  await expect(panel(page, 'when')).toHaveCount(0);

  // The guessed order says so, and flips in one click.
  await expect(formatButton(page, 'shipped')).toHaveText('%m/%d/%Y?');
  await expect(page.getByText('Dates in column "shipped" fit both')).toBeVisible();
  await expect(cell(page, 0, 2)).toHaveText('2000-01-02');
  await formatButton(page, 'shipped').click();
  await expect(panel(page, 'shipped').getByTestId('date-guess')).toContainText(
    'Every day is 12 or less, so both orders fit: read month-first (%m/%d/%Y).',
  );
  await panel(page, 'shipped').getByRole('button', { name: 'Read day-first instead' }).click();
  await expect(formatButton(page, 'shipped')).toHaveText('%d/%m/%Y');
  await expect(cell(page, 0, 2)).toHaveText('2000-02-01');
  await expect(panel(page, 'shipped').getByTestId('date-guess')).toHaveCount(0);
  await expect(page.getByText('Dates in column "shipped" fit both')).toHaveCount(0);

  // The choice is kept with the stored copy: a reload reads the column the same way.
  await page.reload();
  await expect(page.getByTestId('shape')).toHaveText('4 rows × 4 columns');
  await expect(formatButton(page, 'shipped')).toHaveText('%d/%m/%Y');
  await expect(cell(page, 0, 2)).toHaveText('2000-02-01');
});

test('a text column switched to datetime offers the formats when the guess reads nothing', async ({
  page,
}) => {
  await openApp(page);
  const csv = ['id,stamp', '1,12.06.1998 13:45', '2,01.01.2000 00:00', '3,later'].join('\n');
  await page.getByTestId('file-input').setInputFiles(csvFile('stamps.csv', csv));
  await expect(page.getByTestId('shape')).toHaveText('3 rows × 2 columns');
  await expect(header(page, 'stamp')).not.toHaveAttribute('data-type', 'datetime');
  await page.getByLabel('Type of stamp').selectOption('datetime');
  // No single format fits every value ("later"), so the panel opens to pick one.
  await expect(panel(page, 'stamp')).toBeVisible();
  await panel(page, 'stamp').locator('input[value="%d.%m.%Y %H:%M"]').check();
  await expect(panel(page, 'stamp').getByTestId('date-fit')).toContainText(
    '1 of 3 values did not fit %d.%m.%Y %H:%M',
  );
  await expect(cell(page, 0, 1)).toContainText('1998-06-12');
  // Back to text: "later" is still there.
  await page.keyboard.press('Escape');
  await page.getByLabel('Type of stamp').selectOption('text');
  await expect(cell(page, 2, 1)).toHaveText('later');
});
