/**
 * The Data tab's column types travel in the share link: retype iris' petal columns to
 * categorical (so the model leaves them out), train, copy the link, open it in a fresh browser
 * context — the columns come back categorical and training gives the same metric, and the Python
 * export reads the columns the same way.
 */
import { expect, type Page, test } from '@playwright/test';
import { downloads } from './downloads';
import { header, loadSample, openApp } from './helpers';

const RETYPED = ['petal length (cm)', 'petal width (cm)'];

async function trainAccuracy(page: Page): Promise<string> {
  await page.getByRole('tab', { name: 'Train' }).click();
  await expect(page.getByTestId('train-target')).toHaveValue('target');
  await page.getByTestId('train-button').click();
  const cell = page
    .getByTestId('runs-table')
    .locator('tbody tr[data-run="LogisticRegression"] td[data-metric="accuracy"]')
    .first();
  await expect(cell).toHaveText(/^[01]\.\d{3} ± /, { timeout: 120_000 });
  return (await cell.textContent())!.trim();
}

async function pythonScript(page: Page): Promise<string> {
  await page.getByRole('tab', { name: 'Export' }).click();
  await expect(page.getByTestId('export-model-select')).toHaveValue(/^run:/);
  const [python] = await downloads(page, 'export-download-python');
  return python!.bytes.toString('utf8');
}

test('retyped columns travel in the share link: same types, same metric, same Python script', async ({
  page,
  browser,
}) => {
  await openApp(page);
  await loadSample(page, 'Iris flowers', '150 rows × 5 columns');
  for (const column of RETYPED) {
    await page.getByLabel(`Type of ${column}`).selectOption('categorical');
    await expect(header(page, column)).toHaveAttribute('data-type', 'categorical');
  }
  await page.getByRole('tab', { name: 'Train' }).click();
  await page.getByTestId('train-target').selectOption('target');
  const accuracy = await trainAccuracy(page);
  const script = await pythonScript(page);
  expect(script).toMatch(/INPUT_TYPES = \{[^}]*"petal length \(cm\)": "categorical"/);

  await page.getByRole('button', { name: 'Copy link' }).first().click();
  const link = await page.getByRole('textbox', { name: 'Notebook link' }).inputValue();
  expect(link).toMatch(/#nb=v2\./);
  await page.getByRole('dialog', { name: 'Share link' }).getByRole('button', { name: 'Close' }).click();

  const fresh = await browser.newContext();
  try {
    const other = await fresh.newPage();
    await other.goto(link);
    await expect(other.getByTestId('shape')).toHaveText('150 rows × 5 columns');
    for (const column of RETYPED) {
      await expect(header(other, column)).toHaveAttribute('data-type', 'categorical');
    }
    await expect(header(other, 'sepal length (cm)')).toHaveAttribute('data-type', 'float');
    expect(await trainAccuracy(other)).toBe(accuracy);
    expect(await pythonScript(other)).toBe(script);
  } finally {
    await fresh.close();
  }
});
