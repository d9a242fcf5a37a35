/**
 * A headless Chromium with a real WebGPU adapter (SwiftShader Vulkan on the CPU), taken from the
 * `@sparticuz/chromium` npm package so that `npm ci && npm test` needs no apt step and no browser
 * download. See ../shared/TESTING-RECIPE.md; the same launch options serve vitest browser mode,
 * the Playwright e2e suite and the screenshot script.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';

const require = createRequire(import.meta.url);

export interface ChromiumLaunch {
  executablePath: string;
  args: string[];
  env: Record<string, string>;
}

/** The project's own extraction folder, so an old browser in the system tmpdir is never reused. */
const cacheDir = resolve(
  dirname(new URL(import.meta.url).pathname),
  '../../node_modules/.cache/benchtop-chromium',
);

export const chromiumArgs = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
  '--no-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

let pending: Promise<ChromiumLaunch> | undefined;

/**
 * The package's fonts.conf lists /tmp/fonts, but the fonts were extracted into our cache dir, so
 * fontconfig finds no font at all — and this Chromium then aborts (Skia "Not implemented") as soon
 * as a page shows an <input> or <select>. Point fontconfig at the extracted fonts, plus the
 * system's fonts where the machine has them.
 */
function writeFontConfig(exeDir: string): string {
  const dir = join(cacheDir, 'fontconfig');
  mkdirSync(dir, { recursive: true });
  const conf = `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>${join(exeDir, 'fonts')}</dir>
  <cachedir>${join(dir, 'cache')}</cachedir>
</fontconfig>
`;
  writeFileSync(join(dir, 'fonts.conf'), conf);
  return dir;
}

async function prepare(): Promise<ChromiumLaunch> {
  mkdirSync(cacheDir, { recursive: true });
  // @sparticuz/chromium extracts into os.tmpdir(); point it at our cache before it is imported.
  process.env.TMPDIR = cacheDir;
  // The package does not export package.json; climb from its entry (build/esm|cjs/index.*).
  const pkgDir = resolve(dirname(require.resolve('@sparticuz/chromium')), '../..');
  // v147 hides lambdafs.js behind its package "exports"; import it by absolute path.
  const lambdafs = (await import(join(pkgDir, 'build/esm/lambdafs.js'))) as {
    inflate: (file: string) => Promise<string>;
  };
  const chromium = (await import('@sparticuz/chromium')).default;
  const executablePath = await chromium.executablePath();
  const libDir = join(await lambdafs.inflate(join(pkgDir, 'bin/al2023.tar.br')), 'lib');
  const exeDir = dirname(executablePath);
  const icd = join(exeDir, 'vk_swiftshader_icd.json');
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    LD_LIBRARY_PATH: [libDir, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
    VK_LOADER_LAYERS_DISABLE: '~implicit~',
    FONTCONFIG_PATH: writeFontConfig(exeDir),
  };
  if (existsSync(icd)) env.VK_ICD_FILENAMES = icd;
  return { executablePath, args: chromiumArgs, env };
}

/** Extracts the browser on first use (4–8 s), then reuses it. */
export function chromiumLaunch(): Promise<ChromiumLaunch> {
  pending ??= prepare();
  return pending;
}
