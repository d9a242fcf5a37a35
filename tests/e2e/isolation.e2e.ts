import { expect, test } from '@playwright/test';
import { loadSample } from './helpers';
import { type StaticHost, staticHost } from './static-host';

/**
 * Cross-origin isolation (SharedArrayBuffer for the compute pool and tfjs-wasm threads): from the
 * headers of `vite preview`, and on a static host that sends no such headers, from the service
 * worker (public/sw-isolation.js) after the one reload the page does while idle.
 */

/** What the page and a worker it starts see. */
async function isolation(page: import('@playwright/test').Page) {
  return page.evaluate(async () => {
    const src = 'postMessage([self.crossOriginIsolated, typeof SharedArrayBuffer])';
    const worker = new Worker(URL.createObjectURL(new Blob([src], { type: 'text/javascript' })));
    const inWorker = await new Promise((resolve) => {
      worker.onmessage = (e) => resolve(e.data);
      worker.onerror = () => resolve('worker failed');
    });
    worker.terminate();
    return { page: crossOriginIsolated, sab: typeof SharedArrayBuffer, worker: inWorker };
  });
}

test('vite preview serves the app cross-origin isolated', async ({ page }) => {
  const response = await page.goto('/');
  expect(response?.headers()['cross-origin-opener-policy']).toBe('same-origin');
  expect(response?.headers()['cross-origin-embedder-policy']).toBe('require-corp');
  await expect(page.getByRole('heading', { name: 'Start with data' })).toBeVisible();
  expect(await isolation(page)).toEqual({ page: true, sab: 'function', worker: [true, 'function'] });
  // The engine worker (a script with COEP of its own) still starts and works.
  await loadSample(page, 'Iris flowers', '150 rows × 5 columns');
});

test.describe('a static host without COOP/COEP headers, under a sub-path', () => {
  let host: StaticHost;
  test.beforeAll(async () => {
    host = await staticHost('/isolated/');
  });
  test.afterAll(() => host.close());

  test('the service worker makes the page cross-origin isolated after one reload', async ({ page }) => {
    // Page loads, not same-document URL updates (the app writes the notebook link into the hash).
    const navigations: string[] = [];
    page.on('load', () => navigations.push(page.url()));
    const response = await page.goto(host.base);
    // The host sends no isolation headers: the first load is not isolated…
    expect(response?.headers()['cross-origin-embedder-policy']).toBeUndefined();
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
    // …until the service worker is active and the idle page reloads into its headers.
    await expect
      .poll(() => page.evaluate(() => crossOriginIsolated).catch(() => false), { timeout: 60_000 })
      .toBe(true);
    expect(navigations.length).toBe(2);
    await expect(page.getByRole('heading', { name: 'Start with data' })).toBeVisible();
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    expect(await isolation(page)).toEqual({ page: true, sab: 'function', worker: [true, 'function'] });
    // The engine worker's script came through the service worker with COEP: it starts and works.
    await loadSample(page, 'Iris flowers', '150 rows × 5 columns');
    // Later loads are isolated from the start, with no further reload.
    await page.reload();
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    expect(navigations.length).toBe(3);
    expect(host.served.filter((p) => !p.startsWith('/isolated/'))).toEqual([]);
  });
});
