import { expect, type Page } from '@playwright/test';

/** A small CSV with one column of each common type, and a missing value. */
export const PEOPLE_CSV = [
  'name,age,score,joined,member',
  'Ada,36,91.5,2021-03-04,true',
  'Grace,45,,2019-11-30,false',
  'Linus,28,77.25,2022-01-15,true',
  'Edsger,52,88,2018-06-01,false',
].join('\n');

export function csvFile(name: string, text: string) {
  return { name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') };
}

export async function openApp(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Start with data' })).toBeVisible();
}

export async function loadSample(page: Page, title: string, shape: string): Promise<void> {
  await page.getByRole('button', { name: `Load sample ${title}` }).click();
  await expect(page.getByTestId('shape')).toHaveText(shape);
  await expect(page.locator('.vt-row[data-row="0"] td.vt-cell').first()).toBeVisible();
}

export function header(page: Page, column: string) {
  return page.locator(`th.vt-colheader[data-column="${column}"]`);
}

/** The cell of `row` (0-based) in the column at `columnIndex` (0-based, row numbers excluded). */
export function cell(page: Page, row: number, columnIndex: number) {
  return page.locator(`.vt-row[data-row="${row}"] td.vt-cell`).nth(columnIndex);
}

export function datasetEntry(page: Page, name: string) {
  return page
    .getByRole('list', { name: 'Loaded datasets' })
    .getByRole('button', { name: new RegExp(`^${name}`) });
}
