/**
 * `npm run bench:browser [-- --gpu]` — the browser cases in headless Chromium: prints the browser,
 * its WebGPU adapter and whether the page is cross-origin isolated, then runs
 * bench/browser-umap.ts (digits, our CPU path vs umap-js) and bench/browser-models.ts
 * (LogisticRegression and MLP vs tfjs layers), each in its own process and browser.
 *
 * `--gpu` asks for GPU numbers: our WebGPU paths too (UMAP kernels, tfjs forced to webgpu). It
 * REFUSES (exit 3, no numbers) when the adapter is missing or software — SwiftShader, llvmpipe /
 * lavapipe, WARP, or `isFallbackAdapter` (src/gpu/adapter.ts) — because those emulate a GPU on
 * the CPU and their times say nothing about a GPU. On a machine with a real GPU:
 *
 *   BENCH_CHROMIUM=/path/to/chrome npm run bench:browser -- --gpu
 *
 * (BENCH_CHROMIUM: a Chromium/Chrome that drives the machine's GPU; the bundled
 * @sparticuz/chromium only has SwiftShader. BENCH_BROWSER_ROWS sets the models' rows, default
 * 100,000.)
 */
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium } from 'playwright-core';
import { isSoftwareAdapter } from '../src/gpu/adapter';
import type { AdapterSummary } from '../src/gpu/types';
import { chromiumLaunch } from '../tests/support/chromium';

const gpu = process.argv.includes('--gpu');

/** What the browser offers: user agent, cores, isolation, the WebGPU adapter (null: none). */
async function probe() {
  // A secure context (127.0.0.1) with COOP/COEP, like the app under `vite preview`.
  const server = createServer((_req, res) => {
    res.setHeader('content-type', 'text/html');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
    res.end('<!doctype html><title>probe</title>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const launch = await chromiumLaunch();
  if (process.env.BENCH_CHROMIUM) launch.executablePath = process.env.BENCH_CHROMIUM;
  const browser = await chromium.launch({
    executablePath: launch.executablePath,
    args: launch.args,
    env: launch.env,
  });
  try {
    const page = await browser.newPage();
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    return await page.evaluate(async () => {
      const nav = navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } };
      type Adapter = {
        info?: { vendor: string; architecture: string; device: string; description: string };
        isFallbackAdapter?: boolean;
        limits: { maxStorageBufferBindingSize: number; maxBufferSize: number };
      };
      const adapter = ((await nav.gpu?.requestAdapter()) ?? null) as Adapter | null;
      return {
        agent: navigator.userAgent.match(/(Headless)?Chrome\/[\d.]+/)?.[0] ?? navigator.userAgent,
        cores: navigator.hardwareConcurrency,
        isolated: crossOriginIsolated,
        adapter: adapter
          ? {
              vendor: adapter.info?.vendor ?? '',
              architecture: adapter.info?.architecture ?? '',
              device: adapter.info?.device ?? '',
              description: adapter.info?.description ?? '',
              isFallbackAdapter: adapter.isFallbackAdapter ?? false,
              maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
              maxBufferSize: adapter.limits.maxBufferSize,
            }
          : null,
      };
    });
  } finally {
    await browser.close();
    server.close();
  }
}

const found = await probe();
const a: AdapterSummary | null = found.adapter;
const describe = a
  ? `${[a.vendor, a.architecture, a.device, a.description].filter((s) => s !== '').join(' / ') || 'unnamed'}${a.isFallbackAdapter ? ' (fallback adapter)' : ''}`
  : 'none (navigator.gpu missing or requestAdapter() null)';
const software = a === null || isSoftwareAdapter(a);
console.log(
  `browser: ${found.agent}${process.env.BENCH_CHROMIUM ? ` (${process.env.BENCH_CHROMIUM})` : ' (bundled @sparticuz/chromium)'}, ${found.cores} cores, crossOriginIsolated ${found.isolated}`,
);
console.log(`WebGPU adapter: ${describe}${a && software ? ' — SOFTWARE: a CPU emulating a GPU' : ''}`);
if (gpu && software) {
  console.error(
    'bench:browser --gpu: refusing to report GPU numbers — there is no hardware WebGPU adapter here ' +
      `(${describe}). Run it on a machine with a GPU: BENCH_CHROMIUM=/path/to/chrome npm run bench:browser -- --gpu`,
  );
  process.exit(3);
}

const rows = process.env.BENCH_BROWSER_ROWS ?? '100000';
const scripts: [string, string[], Record<string, string>][] = [
  ['bench/browser-umap.ts', ['digits', ...(gpu ? ['--gpu'] : [])], {}],
  ['bench/browser-models.ts', [rows], gpu ? { BENCH_OURS: 'app,webgpu' } : {}],
];
let failed = false;
for (const [script, args, env] of scripts) {
  console.log(`\n$ node --import tsx ${script} ${args.join(' ')}`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  failed ||= run.status !== 0;
}
process.exit(failed ? 1 : 0);
