/**
 * bin/benchtop.mjs as a user runs it (`npx benchtop` in a clone resolves to it): a real process,
 * its exit codes and its streams. The in-process tests (cli.test.ts) cover the commands in depth.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/benchtop.mjs', import.meta.url));

function benchtop(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { cwd, timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

describe('bin/benchtop.mjs', () => {
  it('runs a notebook from a fresh directory: metrics as JSON on stdout, progress on stderr, exit 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'benchtop-bin-'));
    writeFileSync(
      join(dir, 'nb.json'),
      JSON.stringify({
        version: 1,
        seed: 2,
        dataset: { kind: 'sample', sample: 'iris' },
        target: 'target',
        steps: [{ id: 'a', step: 'StandardScaler', params: {}, enabled: true }],
        train: { split: { kind: 'kfold', k: 3 }, models: [{ name: 'GaussianNB', params: {} }] },
      }),
    );
    const r = await benchtop(['run', 'nb.json', '--json'], dir);
    expect(r.stderr).toMatch(/backend: Node, kernels cpu/);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.models[0].metrics.accuracy.mean).toBeGreaterThan(0.9);
    expect(json.split).toEqual({ kind: 'kfold', k: 3 });
  });

  it('exits 2 on bad arguments and 0 for --help', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'benchtop-bin-'));
    const bad = await benchtop(['run', 'nope.json'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/"nope.json" is neither a notebook file nor a share link/);
    const help = await benchtop(['--help'], dir);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^benchtop — /);
  });
});
