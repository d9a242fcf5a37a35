/**
 * LogisticRegression and a 2-layer MLP (64, 32) timed inside the bundled headless Chromium
 * (tests/support/chromium.ts) through a Vite dev server, side by side in one page (issue 6):
 * ours (the app's models on tfjs' WebGPU backend, L-BFGS for LogisticRegression, adam for the MLP)
 * vs plain tfjs layers on its wasm and cpu backends (adam 0.01, batch 4096, same epochs for the
 * MLP; 5 epochs for the softmax layer, the usual tfjs recipe). Prints times, ratios and accuracy.
 * **Here WebGPU is SwiftShader — a CPU emulating a GPU — so "ours" is measured on a CPU pretending
 * to be a GPU;** the wasm and cpu rows are real. On a machine with a GPU, run it again.
 *
 *   node --import tsx bench/browser-models.ts [rows=100000] [mlpEpochs=5]
 */
import { chromium } from 'playwright-core';
import { createServer } from 'vite';
import { chromiumLaunch } from '../tests/support/chromium';

const rows = Number(process.argv[2] ?? 100_000);
const epochs = Number(process.argv[3] ?? 5);
// Crawl the page's imports up front so Vite does not reload it mid-run after optimising a new dependency.
const server = await createServer({
  server: { host: '127.0.0.1', port: 0 },
  logLevel: 'warn',
  optimizeDeps: { entries: ['bench/browser-models.html'] },
});
await server.listen();
const address = server.httpServer?.address();
const port = typeof address === 'object' && address ? address.port : 5173;
const launch = await chromiumLaunch();
const browser = await chromium.launch({
  executablePath: launch.executablePath,
  args: launch.args,
  env: launch.env,
});

interface Result {
  ms: number;
  accuracy: number;
  backend: string;
  adapter?: string | null;
  ran?: string;
}
type Win = {
  ready?: boolean;
  prepare(rows: number): boolean;
  runOurs(model: string, epochs: number, where: 'app' | 'webgpu'): Promise<Result>;
  runTfjs(model: string, backend: string, epochs: number): Promise<Result>;
};

try {
  const page = await browser.newPage();
  page.setDefaultTimeout(0);
  await page.goto(`http://127.0.0.1:${port}/bench/browser-models.html`, { waitUntil: 'networkidle' });
  // Vite may reload the page once after optimising newly found dependencies.
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => (window as unknown as Win).ready === true, null, { timeout: 120_000 });
  await page.evaluate((n) => (window as unknown as Win).prepare(n), rows);
  console.log(`| case | impl | time ms | accuracy | ratio (peer time / our time) |`);
  console.log(`|---|---|---:|---:|---:|`);
  for (const model of ['logistic', 'mlp'] as const) {
    const name = `${model === 'logistic' ? 'LogisticRegression' : 'MLP (64, 32)'} ${rows.toLocaleString('en')} × 20`;
    // BENCH_OURS=app,webgpu adds a row with tfjs forced onto the (here software) WebGPU adapter.
    const where = (process.env.BENCH_OURS ?? 'app').split(',') as ('app' | 'webgpu')[];
    let ours: Result | null = null;
    for (const w of where) {
      const r = await page.evaluate(([m, e, x]) => (window as unknown as Win).runOurs(m, e, x), [
        model,
        epochs,
        w,
      ] as const);
      ours ??= r;
      const solver = model === 'logistic' ? 'L-BFGS' : `adam, ${epochs} epochs`;
      const label = `${solver}, ${w === 'app' ? 'app defaults' : 'tfjs forced to webgpu'}: ran on ${r.ran}, adapter ${r.adapter ?? 'none'}`;
      console.log(
        `| ${name} | benchtop (${label}) | ${r.ms.toFixed(0)} | ${r.accuracy.toFixed(4)} | ${(r.ms / ours.ms).toFixed(2)}× |`,
      );
    }
    if (!ours) throw new Error('BENCH_OURS lists no path');
    for (const backend of ['wasm', 'cpu']) {
      const peerEpochs = model === 'logistic' ? 5 : epochs;
      const r = await page.evaluate(([m, b, e]) => (window as unknown as Win).runTfjs(m, b, e), [
        model,
        backend,
        peerEpochs,
      ] as const);
      console.log(
        `| ${name} | tfjs ${backend} layers (adam, ${peerEpochs} epochs) | ${r.ms.toFixed(0)} | ${r.accuracy.toFixed(4)} | ${(r.ms / ours.ms).toFixed(2)}× |`,
      );
    }
  }
} finally {
  await browser.close();
  await server.close();
}
process.exit(0);
