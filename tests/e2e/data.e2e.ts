import { expect, test } from '@playwright/test';
import { cell, csvFile, datasetEntry, header, loadSample, openApp, PEOPLE_CSV } from './helpers';

test('the gallery loads a sample into a typed, scrollable table', async ({ page }) => {
  await openApp(page);
  await expect(page.getByRole('button', { name: /^Load sample / })).toHaveCount(6);
  await loadSample(page, 'Iris flowers', '150 rows × 5 columns');

  await expect(header(page, 'sepal length (cm)')).toHaveAttribute('data-type', 'float');
  await expect(page.getByLabel('Type of sepal length (cm)')).toHaveValue('float');
  await expect(header(page, 'target')).toHaveAttribute('data-type', 'categorical');
  await expect(cell(page, 0, 0)).toHaveText('5.1');
  await expect(cell(page, 0, 0)).toHaveClass(/numeric/);
  await expect(cell(page, 0, 4)).toHaveText('setosa');
  await expect(datasetEntry(page, 'Iris flowers')).toContainText('150 × 5');

  // Only a window of rows is in the DOM; scrolling to the end brings in the last one.
  expect(await page.locator('.vt-row').count()).toBeLessThan(150);
  await expect(page.locator('.vt-row[data-row="149"]')).toHaveCount(0);
  await page.locator('.vt-scroll').evaluate((el) => {
    el.scrollTop = el.scrollHeight;
  });
  await expect(page.locator('.vt-row[data-row="149"] .vt-rownum')).toHaveText('150');
  await expect(cell(page, 149, 4)).toHaveText('virginica');
  await expect(page.locator('.vt-row[data-row="0"]')).toHaveCount(0);
});

test('a CSV chosen with the file picker is loaded with its types', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('file-input').setInputFiles(csvFile('people.csv', PEOPLE_CSV));
  await expect(page.getByTestId('shape')).toHaveText('4 rows × 5 columns');
  await expect(datasetEntry(page, 'people.csv')).toBeVisible();
  await expect(header(page, 'age')).toHaveAttribute('data-type', 'integer');
  await expect(header(page, 'score')).toHaveAttribute('data-type', 'float');
  await expect(header(page, 'joined')).toHaveAttribute('data-type', 'date');
  await expect(header(page, 'member')).toHaveAttribute('data-type', 'boolean');
  await expect(header(page, 'score')).toContainText('1 missing');
  await expect(cell(page, 0, 0)).toHaveText('Ada');
  await expect(cell(page, 2, 1)).toHaveText('28');
  await expect(cell(page, 1, 2)).toHaveClass(/missing/);
  await expect(cell(page, 3, 3)).toHaveText('2018-06-01');
  await expect(cell(page, 0, 4)).toHaveText('true');
});

test('a CSV dropped on the page is loaded', async ({ page }) => {
  await openApp(page);
  const dataTransfer = await page.evaluateHandle((text) => {
    const dt = new DataTransfer();
    dt.items.add(new File([text], 'dropped.csv', { type: 'text/csv' }));
    return dt;
  }, PEOPLE_CSV);
  await page.dispatchEvent('.tab-panel', 'dragenter', { dataTransfer });
  await expect(page.getByText('Drop to load')).toBeVisible();
  await page.dispatchEvent('.tab-panel', 'drop', { dataTransfer });
  await expect(page.getByText('Drop to load')).toHaveCount(0);
  await expect(datasetEntry(page, 'dropped.csv')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'dropped.csv' })).toBeVisible();
  await expect(page.getByTestId('shape')).toHaveText('4 rows × 5 columns');
  await expect(cell(page, 1, 0)).toHaveText('Grace');
});

test('the status bar shows the WebGPU backend', async ({ page }) => {
  await openApp(page);
  const backend = page.getByTestId('backend');
  await expect(backend).toContainText('WebGPU');
  await backend.click();
  const details = page.getByRole('dialog', { name: 'Compute backend details' });
  await expect(details).toContainText('Kernels: webgpu');
  await page.keyboard.press('Escape');
  await expect(details).toHaveCount(0);
});

test('tabs that are not built yet say so', async ({ page }) => {
  await openApp(page);
  await page.getByRole('tab', { name: 'Train' }).click();
  await expect(page.getByRole('tab', { name: 'Train' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tabpanel')).toContainText('Coming next');
  await page.getByRole('tab', { name: 'Data' }).click();
  await expect(page.getByRole('heading', { name: 'Start with data' })).toBeVisible();
});

test('rows with the wrong number of fields are reported with their line numbers', async ({ page }) => {
  await openApp(page);
  const text = 'a,b,c\n1,2,3\n4,5\n6,7,8\n9,10,11,12\n';
  await page.getByTestId('file-input').setInputFiles(csvFile('ragged.csv', text));
  await expect(page.getByTestId('shape')).toHaveText('4 rows × 3 columns');
  const note = page.getByRole('note', { name: 'Load warnings' });
  await expect(note).toContainText('2 rows have a different number of fields');
  await expect(note).toContainText('line 3 (2 fields)');
  await expect(note).toContainText('line 5 (4 fields)');
});

test('changing a column type re-renders the column', async ({ page }) => {
  await openApp(page);
  await loadSample(page, 'Iris flowers', '150 rows × 5 columns');
  await expect(cell(page, 0, 0)).toHaveClass(/numeric/);
  await page.getByLabel('Type of sepal length (cm)').selectOption('text');
  await expect(header(page, 'sepal length (cm)')).toHaveAttribute('data-type', 'text');
  await expect(header(page, 'sepal length (cm)')).toContainText('inferred float');
  await expect(cell(page, 0, 0)).toHaveText('5.1');
  await expect(cell(page, 0, 0)).not.toHaveClass(/numeric/);
  // And back: the override note disappears.
  await page.getByLabel('Type of sepal length (cm)').selectOption('float');
  await expect(header(page, 'sepal length (cm)')).toHaveAttribute('data-type', 'float');
  await expect(header(page, 'sepal length (cm)')).not.toContainText('inferred');
  await expect(cell(page, 0, 0)).toHaveClass(/numeric/);
});

test('a URL is fetched when Load is clicked, and a dataset can be removed', async ({ page, baseURL }) => {
  await openApp(page);
  const url = new URL('samples/iris.csv', baseURL).href;
  await page.getByLabel('From a URL').fill(url);
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByTestId('shape')).toHaveText('150 rows × 5 columns');
  await expect(datasetEntry(page, 'iris.csv')).toHaveAttribute('title', new RegExp(`From ${url}`));
  await expect(page.getByTestId('memory')).not.toContainText('Data 0 B');

  await page.getByRole('button', { name: 'Remove iris.csv' }).click();
  await expect(page.getByRole('list', { name: 'Loaded datasets' })).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Start with data' })).toBeVisible();
  await expect(page.getByTestId('memory')).toContainText('Data 0 B');
});

test('a file is reloaded with a header override and replaces the old dataset', async ({ page }) => {
  await openApp(page);
  await page.getByTestId('file-input').setInputFiles(csvFile('pairs.csv', 'x,y\n1,2\n3,4\n'));
  await expect(page.getByTestId('shape')).toHaveText('2 rows × 2 columns');
  await expect(header(page, 'x')).toBeVisible();

  await page.getByText('Load options').click();
  await expect(page.locator('#reload-header')).toHaveValue('yes');
  await page.locator('#reload-header').selectOption('no');
  await page.getByRole('button', { name: 'Reload with these options' }).click();

  await expect(page.getByTestId('shape')).toHaveText('3 rows × 2 columns');
  await expect(header(page, 'x')).toHaveCount(0);
  await expect(cell(page, 0, 0)).toHaveText('x');
  await expect(page.getByRole('list', { name: 'Loaded datasets' }).getByRole('listitem')).toHaveCount(1);
});
