/** The python3 the export tests run scripts with, or null (then they are skipped, with a warning). */
import { execFileSync } from 'node:child_process';

/** Debian's /usr/bin/python3 has scikit-learn here; the pyenv python3 on PATH may not. */
function pythonWithSklearn(): string | null {
  for (const py of ['/usr/bin/python3', 'python3']) {
    try {
      execFileSync(py, ['-c', 'import sklearn, pandas'], { stdio: 'ignore' });
      return py;
    } catch {
      // try the next one
    }
  }
  return null;
}

export const PYTHON = pythonWithSklearn();
if (!PYTHON)
  console.warn(
    'SKIPPED: no python3 with scikit-learn and pandas (probed /usr/bin/python3 and python3 on PATH).',
  );
