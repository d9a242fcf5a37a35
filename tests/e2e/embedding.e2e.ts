import { expect, test } from '@playwright/test';
import { openApp } from './helpers';

/**
 * Issue 5: a UMAP of every row from the Explore tab of the built app. This machine's WebGPU is
 * SwiftShader (software), so the embedding runs on the CPU path — the layout on every core through
 * Web Workers started from the engine worker (workers/umap-layout.worker.ts, bundled by Vite as a
 * nested worker) — and the panel says where it ran, with how many threads and why.
 */
test.setTimeout(180_000);

test('UMAP of a 4,000-row set runs on every core, animates, and says where it ran', async ({
  page,
}, testInfo) => {
  await openApp(page);
  const form = page.getByRole('form', { name: 'Synthetic data' });
  await form.getByLabel('Rows').fill('4000');
  await form.getByLabel('Seed').fill('7');
  await form.getByRole('button').click();
  await expect(page.getByTestId('shape')).toHaveText(/^4,000 rows/, { timeout: 60_000 });
  await page.getByRole('tab', { name: 'Explore' }).click();

  const panel = page.getByTestId('explore-embedding');
  await panel.getByLabel('method').selectOption('umap');
  await panel.getByTestId('embedding-run').click();
  // While it optimizes: a Cancel button with the progress, and intermediate layouts drawn.
  await expect(panel.getByRole('button', { name: /^Cancel \d+%$/ })).toBeVisible();
  await expect(panel.locator('canvas').first()).toBeVisible({ timeout: 60_000 });

  const cores = await page.evaluate(() => Math.min(navigator.hardwareConcurrency || 1, 8));
  const threads = cores === 1 ? '1 thread' : `${cores} threads`;
  await expect(panel).toContainText(
    new RegExp(`UMAP of 4,000 rows in [\\d.]+ s on the CPU \\(${threads}: the WebGPU adapter is software`),
    { timeout: 150_000 },
  );
  await expect(panel.getByTestId('embedding-run')).toBeVisible();
  // For a person to look at (test-results/…/umap-panel.png).
  await panel.screenshot({ path: testInfo.outputPath('umap-panel.png') });
});
