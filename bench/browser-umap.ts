/**
 * UMAP timed inside the bundled headless Chromium (tests/support/chromium.ts) through a Vite dev
 * server: the same `embed()` once on WebGPU and once with WebGPU disabled (CPU references), on
 * seeded blobs. **Here WebGPU is SwiftShader — a CPU emulating a GPU on 2 cores — so the "GPU"
 * time says nothing about a real GPU;** the script exists so that a machine with one can measure.
 *
 *   node --import tsx bench/browser-umap.ts [rows=2000] [dims=50]
 */
import { chromium } from 'playwright-core';
import { createServer } from 'vite';
import { chromiumLaunch } from '../tests/support/chromium';

const n = Number(process.argv[2] ?? 2000);
const d = Number(process.argv[3] ?? 50);
const server = await createServer({ server: { host: '127.0.0.1', port: 0 }, logLevel: 'warn' });
await server.listen();
const address = server.httpServer?.address();
const port = typeof address === 'object' && address ? address.port : 5173;
const launch = await chromiumLaunch();
const browser = await chromium.launch({
  executablePath: launch.executablePath,
  args: launch.args,
  env: launch.env,
});
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/bench/browser-umap.html`);
  await page.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true, null, {
    timeout: 120_000,
  });
  for (const useGpu of [true, false]) {
    const result = await page.evaluate(
      ([rows, dims, gpu]) =>
        (
          window as unknown as {
            runUmap: (n: number, d: number, g: boolean) => Promise<{ ms: number; kernels: string }>;
          }
        ).runUmap(rows as number, dims as number, gpu as boolean),
      [n, d, useGpu] as const,
    );
    console.log(`umap ${n} × ${d} in Chromium, ${useGpu ? 'WebGPU' : 'CPU'}: ${JSON.stringify(result)}`);
  }
} finally {
  await browser.close();
  await server.close();
}
process.exit(0);
