import { expect, test } from '@playwright/test';
import { cell } from './helpers';
import { type StaticHost, staticHost } from './static-host';

const PREFIX = '/benchtop/';
let host: StaticHost;

test.beforeAll(async () => {
  host = await staticHost(PREFIX);
});

test.afterAll(() => host.close());

test('the build served from /benchtop/ loads a sample through its worker', async ({ page }) => {
  const { base, served } = host;
  await page.goto(base);
  await expect(page.getByRole('heading', { name: 'Start with data' })).toBeVisible();
  await page.getByRole('button', { name: 'Load sample Wine recognition' }).click();
  await expect(page.getByTestId('shape')).toHaveText(/^178 rows × 14 columns$/);
  await expect(cell(page, 0, 0)).toBeVisible();
  // The service worker registered under the sub-path, with the sub-path as its scope.
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  expect(scope).toBe(base);
  expect(served.filter((p) => !p.startsWith(PREFIX))).toEqual([]);
  expect(served).toContain(`${PREFIX}samples/wine.csv`);
  expect(served.some((p) => /^\/benchtop\/assets\/engine\.worker-[\w-]+\.js$/.test(p))).toBe(true);
});
