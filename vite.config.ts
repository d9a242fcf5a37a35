import { playwright } from '@vitest/browser-playwright';
import { VitePWA } from 'vite-plugin-pwa';
import solid from 'vite-plugin-solid';
import { defineConfig } from 'vitest/config';

/**
 * Cross-origin isolation (COOP + COEP) on every response of the dev server and `vite preview`: the
 * page and its workers become `crossOriginIsolated`, which SharedArrayBuffer (the compute pool,
 * tfjs-wasm threads) requires. Hosts that cannot set headers get them from the service worker
 * (public/sw-isolation.js); README "Hosting" lists the headers for the others.
 */
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// Browser tests need the bundled Chromium; only extract it when vitest runs.
const launch = process.env.VITEST
  ? await (await import('./tests/support/chromium.ts')).chromiumLaunch()
  : null;

export default defineConfig({
  base: './',
  plugins: [
    solid(),
    // Offline after one visit: precache every chunk, the worker, the wasm binaries and the samples.
    // The user decides when a new version takes over ("A new version is ready — Reload").
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      manifest: false, // public/manifest.webmanifest, linked from index.html
      workbox: {
        globPatterns: ['**/*.{js,css,html,wasm,svg,png,webmanifest}', 'samples/*.csv'],
        // parquet-wasm is 4.9 MB; workbox skips files above 2 MB by default.
        maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
        navigateFallback: 'index.html',
        cleanupOutdatedCaches: true,
        // Adds COOP/COEP to what the service worker serves, for hosts that cannot set headers.
        importScripts: ['sw-isolation.js'],
      },
    }),
  ],
  worker: { format: 'es' },
  build: { target: 'es2022', sourcemap: true, chunkSizeWarningLimit: 4000 },
  optimizeDeps: {
    include: [
      'apache-arrow',
      'comlink',
      'd3',
      'solid-js',
      'solid-js/web',
      'solid-js/store',
      '@tensorflow/tfjs',
      '@tensorflow/tfjs-backend-webgpu',
      '@tensorflow/tfjs-backend-wasm',
    ],
    exclude: ['parquet-wasm'],
  },
  server: { host: '127.0.0.1', headers: isolationHeaders },
  preview: { host: '127.0.0.1', headers: isolationHeaders },
  test: {
    // vite-plugin-solid defaults vitest to jsdom, which we do not install: component tests opt
    // into happy-dom per file instead.
    environment: 'node',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/**/*.test.{ts,tsx}'],
          exclude: ['tests/**/*.browser.test.{ts,tsx}', 'tests/e2e/**'],
          environment: 'node',
          // Correctness tests on shared 2-core machines: a slow run must not fail them.
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['tests/**/*.browser.test.{ts,tsx}'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          browser: {
            enabled: true,
            headless: true,
            screenshotFailures: false,
            provider: playwright({
              launchOptions: launch
                ? { executablePath: launch.executablePath, args: launch.args, env: launch.env }
                : {},
            }),
            instances: [{ browser: 'chromium' }],
          },
        },
      },
    ],
  },
});
