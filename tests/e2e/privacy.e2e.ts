import { expect, test } from '@playwright/test';
import { csvFile, header, loadSample, openApp, PEOPLE_CSV } from './helpers';

/**
 * No request carrying user data leaves the page: during a whole session every request goes to
 * the app's own origin and fetches a static file of the build, and the Content-Security-Policy
 * is never violated (no eval, no inline script, nothing from elsewhere).
 */
test('a full session fetches only same-origin static assets and violates no CSP rule', async ({
  page,
  context,
  baseURL,
}) => {
  const origin = new URL(baseURL ?? '').origin;
  const requests: { url: string; method: string; hasBody: boolean }[] = [];
  // The context sees requests of the page, its worker and the service worker.
  context.on('request', (r) =>
    requests.push({ url: r.url(), method: r.method(), hasBody: r.postData() !== null }),
  );
  const problems: string[] = [];
  page.on('console', (m) => {
    if (/Content.Security.Policy|Refused to/i.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`Refused to ${e.violatedDirective}: ${e.blockedURI}`);
    });
  });

  await openApp(page);
  await loadSample(page, 'Iris flowers', '150 rows × 5 columns');
  await page.getByTestId('file-input').setInputFiles(csvFile('people.csv', PEOPLE_CSV));
  await expect(page.getByTestId('shape')).toHaveText('4 rows × 5 columns');
  await page.getByLabel('Type of age').selectOption('float');
  await expect(header(page, 'age')).toHaveAttribute('data-type', 'float');
  // The status bar, the backend details (d3/Solid styles) and a notebook step.
  await page.getByTestId('backend').click();
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: '+ Add step' }).click();
  await page.getByRole('searchbox', { name: 'Search steps' }).fill('Standa');
  await page.getByRole('button', { name: 'Add StandardScaler', exact: true }).click();
  await expect(
    page
      .getByRole('list', { name: 'Notebook steps' })
      .locator('li[data-step="StandardScaler"]')
      .getByTestId('step-status'),
  ).toHaveText(/^(ok|cached)$/);
  // Export (a download made in the page from worker bytes, not an upload).
  await page.getByRole('tab', { name: 'Export' }).click();
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Download Parquet' }).click();
  await downloading;
  // Share link: it lives in the fragment, which is never sent.
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.getByRole('button', { name: 'Copy link' }).first().click();
  const link = await page.getByRole('textbox', { name: 'Notebook link' }).inputValue();
  expect(new URL(link).hash).toMatch(/^#nb=v2\./);
  await page.reload();
  await expect(page.getByRole('list', { name: 'Loaded datasets' })).toContainText('people.csv');

  expect(requests.length).toBeGreaterThan(5);
  const offending = requests.filter((r) => {
    const url = new URL(r.url);
    if (url.protocol === 'data:' || url.protocol === 'blob:') return false;
    const staticFile =
      url.pathname === '/' ||
      /^\/(index\.html|sw\.js|sw-isolation\.js|workbox-[\w-]+\.js|favicon\.svg|manifest\.webmanifest|icons\/[\w.-]+|assets\/[\w.-]+|samples\/[\w.-]+\.csv)$/.test(
        url.pathname,
      );
    return url.origin !== origin || r.method !== 'GET' || r.hasBody || !staticFile || url.search !== '';
  });
  expect(offending, 'requests that are not same-origin static GETs').toEqual([]);
  // The fragment (the notebook) never appears in a request.
  expect(requests.filter((r) => r.url.includes('#'))).toEqual([]);
  expect(problems).toEqual([]);
});
