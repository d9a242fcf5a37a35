/**
 * UMAP timed inside the bundled headless Chromium (tests/support/chromium.ts) through a Vite dev
 * server, side by side in one page (bench/browser-umap.html): ours (`embed()` on its CPU path,
 * `initCompute({ webgpu: false })`) and umap-js 1.4.0 (`new UMAP({ random }).fit(rows)`, as
 * bench/cases/umap.ts calls it in Node) on the same rows, with the ratio umap-js / ours and the
 * trustworthiness (k = 10) of both layouts — on all rows up to 5,000, else on a seeded 5,000-row
 * sample. Datasets: digits (public/samples/digits.csv, 1797 × 64) or the seeded blobs of the UMAP
 * bench (tests/support/blobs.ts). Each side runs once: the first run includes JIT warm-up.
 *
 * `--gpu` adds our WebGPU time. **Here WebGPU is SwiftShader — a CPU emulating a GPU on 2 cores —
 * so that time says nothing about a real GPU** (and is slow: exact kNN on the "GPU"); it exists so
 * that a machine with one can measure. umap-js on 70,000 rows takes ~20 min here.
 *
 *   node --import tsx bench/browser-umap.ts digits [--gpu]
 *   node --import tsx bench/browser-umap.ts blobs [rows=2000] [dims=50] [--gpu]
 *
 * BENCH_CHROMIUM=/usr/bin/chromium runs another Chromium (Debian's, `apt install chromium`) with
 * the same flags. Worth it: the bundled @sparticuz/chromium build runs numeric JS ~2.5× slower
 * than Debian's Chromium 150 or Node 20 (a 1797² × 64 distance loop: ~900 ms against 300–390 ms,
 * measured 2026-12-07), so its absolute times understate a user's browser; ratios between two JS
 * implementations in the same page hold better.
 */
import { chromium } from 'playwright-core';
import { createServer } from 'vite';
import { chromiumLaunch } from '../tests/support/chromium';

interface OursResult {
  ms: number;
  trust: number;
  kernels: string;
  /** What embed() said it ran on (embedPlan). */
  plan: { device: string; threads: number; why: string } | null;
  /** Progress fractions up to the layout's start (kNN 0.2, fuzzy graph + init 0.3) and when. */
  stages: string;
  adapter: string | null;
  finite: boolean;
}

interface UmapJsResult {
  ms: number;
  trust: number;
  finite: boolean;
}

interface BenchPage {
  loadData: (dataset: string, rows: number, dims: number) => Promise<{ n: number; d: number }>;
  runOurs: (useGpu: boolean) => Promise<OursResult>;
  runUmapJs: () => Promise<UmapJsResult>;
  ready?: boolean;
}

const args = process.argv.slice(2);
const gpu = args.includes('--gpu');
const [dataset = 'blobs', rowsArg, dimsArg] = args.filter((a) => a !== '--gpu');
const rows = Number(rowsArg ?? 2000);
const dims = Number(dimsArg ?? 50);
if (
  (dataset !== 'digits' && dataset !== 'blobs') ||
  !(Number.isInteger(rows) && rows >= 3 && Number.isInteger(dims) && dims >= 1)
) {
  console.error('usage: node --import tsx bench/browser-umap.ts digits|blobs [rows=2000] [dims=50] [--gpu]');
  process.exit(2);
}

// Crawl the page's imports up front so Vite does not reload it mid-run after optimising umap-js;
// no watcher and no HMR, so that an edit in the working tree does not reload it either.
const server = await createServer({
  server: { host: '127.0.0.1', port: 0, hmr: false, watch: null },
  logLevel: 'warn',
  optimizeDeps: { entries: ['bench/browser-umap.html'] },
});
await server.listen();
const address = server.httpServer?.address();
const port = typeof address === 'object' && address ? address.port : 5173;
const launch = await chromiumLaunch();
if (process.env.BENCH_CHROMIUM) launch.executablePath = process.env.BENCH_CHROMIUM;
const browser = await chromium.launch({
  executablePath: launch.executablePath,
  args: launch.args,
  env: launch.env,
});
const fmt = (ms: number) => `${Math.round(ms).toLocaleString('en')} ms`;
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/bench/browser-umap.html`);
  await page.waitForFunction(() => (window as unknown as BenchPage).ready === true, null, {
    timeout: 120_000,
  });
  const { n, d } = await page.evaluate(
    ([name, r, c]) => (window as unknown as BenchPage).loadData(name as string, r as number, c as number),
    [dataset, rows, dims] as const,
  );
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const agent = await page.evaluate(() => navigator.userAgent.match(/Chrome\/[\d.]+/)?.[0] ?? 'Chromium');
  const trustOn = n <= 5000 ? `all ${n.toLocaleString('en')} rows` : 'a seeded 5,000-row sample';
  console.log(
    `umap ${dataset} ${n.toLocaleString('en')} × ${d} in ${agent}${process.env.BENCH_CHROMIUM ? ` (${process.env.BENCH_CHROMIUM})` : ' (bundled)'}, navigator.hardwareConcurrency ${cores}; trustworthiness(k=10) on ${trustOn}`,
  );
  const ours = await page.evaluate(() => (window as unknown as BenchPage).runOurs(false));
  console.log(
    `  ours (${ours.plan ? `${ours.plan.device}, ${ours.plan.threads} thread(s): ${ours.plan.why}` : 'CPU path'}): ${fmt(ours.ms)}, trustworthiness ${ours.trust.toFixed(4)}${ours.finite ? '' : ', NON-FINITE'}; stages ${ours.stages}`,
  );
  const peer = await page.evaluate(() => (window as unknown as BenchPage).runUmapJs());
  console.log(
    `  umap-js 1.4.0 fit: ${fmt(peer.ms)}, trustworthiness ${peer.trust.toFixed(4)}${peer.finite ? '' : ', NON-FINITE'}`,
  );
  console.log(`  umap-js / ours (CPU path): ${(peer.ms / ours.ms).toFixed(2)}×`);
  if (gpu) {
    const onGpu = await page.evaluate(() => (window as unknown as BenchPage).runOurs(true));
    console.log(
      `  ours (${onGpu.plan?.device ?? '?'}, adapter ${onGpu.adapter}): ${fmt(onGpu.ms)}, trustworthiness ${onGpu.trust.toFixed(4)}${onGpu.finite ? '' : ', NON-FINITE'}`,
    );
  }
} finally {
  await browser.close();
  await server.close();
}
process.exit(0);
