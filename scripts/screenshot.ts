/**
 * Writes docs/screenshot.png (1440×900): the app with a sample loaded, in the bundled Chromium
 * with real WebGPU. It does not build: it uses a running preview at SCREENSHOT_URL (default
 * http://127.0.0.1:4417/) or starts `vite preview` on the built dist/ itself.
 *
 *   npx vite build && npx tsx scripts/screenshot.ts [sample|synthetic] [--dark] [--gallery] [--tab quality|explore|train|evaluate|prototype|errors]
 *   (SCREENSHOT_NAME=x writes docs/x.png instead)
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { chromiumLaunch } from '../tests/support/chromium.ts';

const root = resolve(dirname(new URL(import.meta.url).pathname), '..');
const args = process.argv.slice(2);
const dark = args.includes('--dark');
const galleryOnly = args.includes('--gallery');
// --tab quality: open that tab once the data is in, and wait for its report.
const tabIndex = args.indexOf('--tab');
const tab = tabIndex >= 0 ? args[tabIndex + 1] : undefined;
const sample = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--tab') ?? 'wine';
const name =
  process.env.SCREENSHOT_NAME ??
  (galleryOnly ? 'screenshot-gallery' : tab ? `screenshot-${tab}` : dark ? 'screenshot-dark' : 'screenshot');
const out = resolve(root, 'docs', `${name}.png`);

async function reachable(url: string): Promise<boolean> {
  try {
    return (await fetch(url)).ok;
  } catch {
    return false;
  }
}

async function ensurePreview(): Promise<{ url: string; server: ChildProcess | null }> {
  const given = process.env.SCREENSHOT_URL ?? 'http://127.0.0.1:4417/';
  if (await reachable(given)) return { url: given, server: null };
  const port = 4419;
  const url = `http://127.0.0.1:${port}/`;
  const server = spawn(
    'npx',
    ['vite', 'preview', '--host', '127.0.0.1', '--port', String(port), '--strictPort'],
    {
      cwd: root,
      stdio: 'ignore',
      detached: true,
    },
  );
  for (let i = 0; i < 120; i++) {
    if (await reachable(url)) return { url, server };
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`vite preview did not start on ${url} (did you run \`npx vite build\`?)`);
}

const { url, server } = await ensurePreview();
const launch = await chromiumLaunch();
const browser = await chromium.launch({
  executablePath: launch.executablePath,
  args: launch.args,
  env: launch.env,
});
try {
  const page = await browser.newPage({
    viewport: { width: 1440, height: 900 },
    deviceScaleFactor: 1,
    colorScheme: dark ? 'dark' : 'light',
  });
  await page.goto(url);
  await page.getByRole('heading', { name: 'Start with data' }).waitFor();
  await page.locator('.card').first().waitFor();
  await page
    .getByTestId('backend')
    .filter({ hasText: /WebGPU|CPU/ })
    .waitFor();
  if (!galleryOnly) {
    if (sample === 'synthetic') {
      const form = page.getByRole('form', { name: 'Synthetic data' });
      await form.getByLabel('Rows').fill('100000');
      await form.getByRole('button', { name: 'Generate' }).click();
    } else {
      await page
        .locator('.card', { hasText: new RegExp(sample, 'i') })
        .first()
        .click();
    }
    // The first data cell, or an error notice (then the screenshot shows what went wrong).
    await page.locator('.vt-row .vt-cell, .notice-card').first().waitFor();
    if (tab === 'quality') {
      await page.getByRole('tab', { name: 'Quality' }).click();
      await page.locator('.qwarn, [data-testid="no-warnings"], .quality-job.error').first().waitFor();
      await page.locator('.pcard svg').first().waitFor();
    }
    if (tab === 'explore') {
      // Insights, then a brushed histogram range so the linked highlight shows in every view.
      await page.getByRole('tab', { name: 'Explore' }).click();
      await page.locator('.xinsight').first().waitFor();
      const overlay = page.getByTestId('explore-distribution').locator('g.brush rect.overlay');
      await overlay.waitFor();
      const box = (await overlay.boundingBox())!;
      await page.mouse.move(box.x + box.width * 0.55, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width * 0.85, box.y + box.height / 2, { steps: 8 });
      await page.mouse.up();
      await page
        .getByTestId('scatter-selected')
        .filter({ hasText: /\d selected/ })
        .waitFor();
    }
    if (tab === 'prototype') {
      // iris: LogisticRegression fitted on every row; a what-if edit, partial dependence and the
      // smallest change that flips the prediction.
      await page.getByRole('tab', { name: 'Train' }).click();
      await page.getByTestId('train-target').selectOption('target');
      await page.getByTestId('train-button').click();
      const run = page.locator('[data-testid="runs-table"] tbody tr[data-run="LogisticRegression"]');
      await run.locator('td[data-metric="accuracy"]').filter({ hasText: '±' }).waitFor();
      await run.getByRole('button', { name: 'Prototype' }).click();
      await page.getByTestId('proto-prediction').filter({ hasText: 'p =' }).waitFor();
      await page.getByTestId('proto-row').fill('71');
      await page.getByTestId('proto-load-row').click();
      await page.getByTestId('proto-change').filter({ hasText: 'actual value' }).waitFor();
      await page.getByTestId('field-petal width (cm)').fill('1.3');
      await page.getByTestId('field-sepal width (cm)').fill('4.6');
      await page.locator('[data-issue="out-of-range"]').waitFor();
      await page.getByTestId('pdp-feature').selectOption('petal width (cm)');
      await page.getByTestId('pdp-compute').click();
      await page.locator('[data-chart="pdp"] svg .average').waitFor();
      await page.getByTestId('cf-search').click();
      await page.getByTestId('cf-result').waitFor();
      if (process.env.PROTOTYPE_SCROLL === 'pdp')
        await page.locator('#proto-pdp-title').scrollIntoViewIfNeeded();
    }
    if (tab === 'export') {
      // --tab export: iris, LogisticRegression trained, then scored on a copy with longer petals and
      // a few missing sepal widths, so the drift table and the preview have something to show.
      await page.getByRole('tab', { name: 'Train' }).click();
      await page.getByTestId('train-target').selectOption('target');
      await page.getByTestId('train-button').click();
      await page
        .locator(
          '[data-testid="runs-table"] tbody tr[data-run="LogisticRegression"] td[data-metric="accuracy"]',
        )
        .filter({ hasText: '±' })
        .waitFor();
      await page.getByRole('tab', { name: 'Export' }).click();
      const [head, ...lines] = readFileSync(resolve(root, 'public/samples/iris.csv'), 'utf8')
        .trim()
        .split('\n');
      const names = head!.split(',');
      const petal = names.indexOf('petal length (cm)');
      const sepal = names.indexOf('sepal width (cm)');
      const batch = lines.map((line, i) => {
        const cells = line.split(',');
        cells[petal] = (Math.round((Number(cells[petal]) * 1.25 + 0.4) * 10) / 10).toString();
        if (i % 37 === 5) cells[sepal] = '';
        return cells.join(',');
      });
      await page.getByTestId('score-file').setInputFiles({
        name: 'iris-new-batch.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from([head, ...batch].join('\n')),
      });
      await page.waitForFunction(() =>
        (
          document.querySelector('[data-testid="score-dataset"]') as HTMLSelectElement | null
        )?.selectedOptions[0]?.textContent?.includes('iris-new-batch.csv'),
      );
      await page.getByTestId('score-button').click();
      await page.getByTestId('score-report').waitFor();
      // Scroll the tab's own panel (scrollIntoView would scroll the whole page past the tabs).
      await page.locator('#export-model-heading').evaluate((el) => {
        const panel = el.closest('.tab-panel')!;
        panel.scrollTop += el.getBoundingClientRect().top - panel.getBoundingClientRect().top - 12;
      });
    }
    if (tab === 'train' || tab === 'evaluate') {
      // iris: target, stratified 5-fold, LogisticRegression + DecisionTreeClassifier, a small grid.
      await page.getByRole('tab', { name: 'Train' }).click();
      await page.getByTestId('train-target').selectOption('target');
      await page.getByTestId('add-model').selectOption('DecisionTreeClassifier');
      await page.getByTestId('train-button').click();
      await page.locator('[data-testid="runs-table"] tbody tr').nth(1).waitFor();
      await page.getByTestId('tune-model').selectOption('LogisticRegression');
      await page.locator('[data-tune-param="C"]').fill('0.01, 0.1, 1, 10, 100');
      await page.locator('[data-tune-param="C"]').press('Tab');
      await page.getByTestId('tune-button').click();
      await page.locator('[data-testid="tune-table"] tbody tr').nth(4).waitFor();
      await page.locator('[data-chart="tune-C"] svg').waitFor();
      if (tab === 'evaluate') {
        await page.getByRole('tab', { name: 'Evaluate' }).click();
        await page.getByTestId('eval-run').selectOption({ index: 3 });
        await page.getByTestId('eval-compare').selectOption({ index: 2 });
        await page.getByTestId('eval-verdict').waitFor();
        await page.locator('[data-chart="roc"] svg').waitFor();
        await page.getByTestId('eval-importance').click();
        await page.getByTestId('eval-importance-table').waitFor();
        await page.getByTestId('eval-learning').click();
        await page.locator('[data-chart="learning-curve"] svg').waitFor();
        // EVALUATE_SCROLL=plots: the lower half (plots, importance, learning curve) instead of the metrics.
        if (process.env.EVALUATE_SCROLL === 'plots')
          await page.locator('#plots-title').scrollIntoViewIfNeeded();
      }
    }
  }
  if (tab === 'errors') {
    // --tab errors (use with breast): LogisticRegression, then Evaluate's Errors section with the
    // worst slice picked, so its rows are listed and selected.
    await page.getByRole('tab', { name: 'Train' }).click();
    await page.getByTestId('train-target').selectOption('target');
    await page.getByTestId('train-button').click();
    const run = page.locator('[data-testid="runs-table"] tbody tr[data-run="LogisticRegression"]');
    await run.locator('td[data-metric="accuracy"]').filter({ hasText: '±' }).waitFor();
    await run.getByRole('button', { name: 'Evaluate' }).click();
    await page.locator('[data-testid="error-slices"] tbody tr').first().waitFor();
    await page.getByTestId('slice-button').first().click();
    await page
      .getByTestId('errors-picked')
      .getByTestId('selected-rows')
      .locator('tbody tr')
      .first()
      .waitFor();
    await page.locator('#errors-title').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  }
  mkdirSync(dirname(out), { recursive: true });
  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  if (server?.pid) process.kill(-server.pid);
}
// playwright-core may keep the process alive for a while after close().
process.exit(0);
