import { expect, test } from '@playwright/test';
import { openApp } from './helpers';

test('a million synthetic rows scroll with only a window in the DOM', async ({ page }) => {
  await openApp(page);
  const synthetic = page.getByRole('form', { name: 'Synthetic data' });
  await synthetic.getByLabel('Rows').fill('1000000');
  await synthetic.getByLabel('Seed').fill('7');
  await synthetic.getByRole('button', { name: 'Generate' }).click();
  await expect(page.getByTestId('shape')).toHaveText(/^1,000,000 rows × \d+ columns$/, { timeout: 60_000 });
  await expect(page.locator('.vt-row[data-row="0"] td.vt-cell').first()).toBeVisible();

  const scrollTo = (fraction: number) =>
    page.locator('.vt-scroll').evaluate((el, f) => {
      el.scrollTop = (el.scrollHeight - el.clientHeight) * f;
    }, fraction);

  // Middle: rows near 500,000 arrive from the worker and are the ones rendered.
  await scrollTo(0.5);
  const middle = page.locator('.vt-row td.vt-cell').first();
  await expect(middle).toBeVisible();
  const first = Number(await page.locator('.vt-row').first().getAttribute('data-row'));
  expect(first).toBeGreaterThan(490_000);
  expect(first).toBeLessThan(510_000);
  expect(await page.locator('.vt-row').count()).toBeLessThan(120);

  // The very end is reachable even though the scroll height is compressed.
  await scrollTo(1);
  await expect(page.locator('.vt-row[data-row="999999"] .vt-rownum')).toHaveText('1,000,000');
  await expect(page.locator('.vt-row[data-row="999999"] td.vt-cell').first()).toBeVisible();
  await expect(page.locator('.vt-row[data-row="999999"]')).toBeInViewport();
});
