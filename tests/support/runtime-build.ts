/**
 * Builds benchtop-runtime exactly as `npm run build:runtime` does (vite.runtime.config.ts), into a
 * folder of the caller's choosing, and lists the modules that went into the bundle — so tests can
 * load the BUILT file (not the sources) and check that no UI code was pulled in. About 1–2 s.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Plugin } from 'vite';

const root = resolve(dirname(new URL(import.meta.url).pathname), '../..');

export interface RuntimeBuild {
  file: string;
  /** Module ids bundled into the file (absolute paths, node_modules included). */
  modules: string[];
  bytes: number;
  gzipBytes: number;
}

export async function buildRuntime(outDir: string): Promise<RuntimeBuild> {
  const modules: string[] = [];
  const collect: Plugin = {
    name: 'collect-bundled-modules',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) if (chunk.type === 'chunk') modules.push(...chunk.moduleIds);
    },
  };
  await build({
    root,
    configFile: join(root, 'vite.runtime.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
    plugins: [collect],
  });
  const file = join(outDir, 'benchtop-runtime.js');
  const text = await readFile(file);
  return { file, modules, bytes: text.byteLength, gzipBytes: gzipSync(text).byteLength };
}

/** The built module's exports (a plain ES module import of the file). */
export async function importRuntime(file: string): Promise<typeof import('../../src/runtime/index')> {
  return import(/* @vite-ignore */ pathToFileURL(file).href);
}
