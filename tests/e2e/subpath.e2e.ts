import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { cell } from './helpers';

const DIST = resolve(import.meta.dirname, '../../dist');
const PREFIX = '/benchtop/';
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.csv': 'text/csv',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.map': 'application/json',
};

let server: Server;
let base = '';
const served: string[] = [];

// GitHub Pages style: the build is only reachable under /benchtop/; anything else is a 404.
test.beforeAll(async () => {
  server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    served.push(path);
    if (!path.startsWith(PREFIX)) {
      res.statusCode = 404;
      res.end('not here');
      return;
    }
    const rel = normalize(path.slice(PREFIX.length) || 'index.html');
    const file = join(DIST, rel.endsWith('/') ? `${rel}index.html` : rel);
    if (!file.startsWith(DIST) || !existsSync(file) || !statSync(file).isFile()) {
      res.statusCode = 404;
      res.end('not found');
      return;
    }
    res.setHeader('content-type', TYPES[extname(file)] ?? 'application/octet-stream');
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}${PREFIX}`;
});

test.afterAll(() => new Promise<void>((r) => server.close(() => r())));

test('the build served from /benchtop/ loads a sample through its worker', async ({ page }) => {
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
