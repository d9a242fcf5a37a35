#!/usr/bin/env node
// The `benchtop` command (package.json "bin"). The sources are TypeScript: tsx (installed by
// `npm ci`) compiles them on the fly, so a fresh clone needs no build step.
import { register } from 'tsx/esm/api';

register();
const { cliMain } = await import('../src/cli/node.ts');
const code = await cliMain(process.argv.slice(2));
// tfjs or the parquet wasm can keep handles open after the work is done.
process.exit(code);
