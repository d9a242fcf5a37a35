import { expect, test } from '@playwright/test';
import { cell, header, loadSample, openApp } from './helpers';

test('after one visit the app works with the network off', async ({ page, context }) => {
  await openApp(page);
  // The service worker installs and precaches on the first visit…
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  await expect(page.getByTestId('offline-status')).toContainText('Works offline');
  // …and controls the page from the next load on ('prompt' mode does not claim open pages).
  await page.reload();
  await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

  await context.setOffline(true);
  // Really offline: a request the cache cannot answer fails.
  expect(
    await page.evaluate(() =>
      fetch(`https://example.com/?${Date.now()}`).then(
        () => 'online',
        () => 'offline',
      ),
    ),
  ).toBe('offline');
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Start with data' })).toBeVisible();

  // A sample (precached CSV) loads in the worker (precached chunks) and shows its rows.
  await loadSample(page, 'Iris flowers', '150 rows × 5 columns');
  await expect(cell(page, 0, 0)).toHaveText('5.1');
  await expect(cell(page, 0, 4)).toHaveText('setosa');
  // Work in the worker while offline: re-type a column (the model UI does not exist yet).
  await page.getByLabel('Type of sepal length (cm)').selectOption('text');
  await expect(header(page, 'sepal length (cm)')).toHaveAttribute('data-type', 'text');
  // And a notebook step runs in the worker too.
  await page.getByRole('button', { name: '+ Add step' }).click();
  await page.getByRole('searchbox', { name: 'Search steps' }).fill('Standa');
  await page.getByRole('button', { name: 'Add StandardScaler', exact: true }).click();
  const card = page.getByRole('list', { name: 'Notebook steps' }).locator('li[data-step="StandardScaler"]');
  await expect(card.getByTestId('step-status')).toHaveText(/^(ok|cached)$/);
  await context.setOffline(false);
});
