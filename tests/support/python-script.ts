/**
 * Running an exported Python script with Debian's scikit-learn (the corpus and messy-table tests):
 * which modules /usr/bin/python3 has, and the script's last output line as JSON.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const PYTHON = '/usr/bin/python3';

export function pythonHas(modules: string): boolean {
  try {
    execFileSync(PYTHON, ['-c', `import ${modules}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export const HAS_SKLEARN = pythonHas('sklearn, pandas');

/** Runs the script on the data file; its last stdout line is `{metrics, folds}`. A failure is a
 * PythonError with the script's last stderr line as the message and all of stderr attached. */
export function runPython(
  script: string,
  dataFile: string,
): { metrics: Record<string, number>; folds: unknown[] } {
  const dir = mkdtempSync(join(tmpdir(), 'benchtop-script-'));
  const file = join(dir, 'reproduce.py');
  writeFileSync(file, script);
  try {
    const out = execFileSync(PYTHON, [file, dataFile], {
      // One OpenMP thread: on a shared 2-core machine under load, scikit-learn's
      // HistGradientBoosting with a thread per core spins for seconds per fit (35 s instead of
      // 1.6 s for 3,000 rows measured at load 5); the metrics do not depend on it.
      env: { ...process.env, OMP_NUM_THREADS: '1' },
      encoding: 'utf8',
      timeout: 600_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return JSON.parse(out.trim().split('\n').pop() ?? '');
  } catch (e) {
    const stderr = String((e as { stderr?: unknown }).stderr ?? '').trim();
    const last = stderr.split('\n').slice(-1)[0] ?? '';
    throw Object.assign(new Error(`the script exited with an error: ${last || (e as Error).message}`), {
      name: 'PythonError',
      stderr,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
