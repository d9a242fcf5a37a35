/**
 * The `benchtop` command: the app's engine in-process in Node (workers/engine.node.ts, CPU
 * kernels), for running notebooks unattended (CI for models, nightly retraining) and for taking
 * them to a Dask cluster. Exit codes: 0 ok, 1 the run failed (a named error on stderr), 2 bad
 * arguments. Results go to stdout; progress, notes and errors to stderr.
 */

import type { Engine } from '../../workers/engine';
import { toEngineError } from '../core/errors';
import { BENCHTOP_VERSION } from '../export/artifact';
import { UsageError } from './args';
import { type CliIo, createContext } from './context';
import { exportCommand } from './export';
import { runCommand } from './run';
import { scoreCommand } from './score';

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

export const HELP = `benchtop — run Benchtop notebooks headless, and export them to Dask

Usage:
  benchtop run <notebook.json | share link> [data file] [options]
      Runs the notebook and its training experiment (the Train tab's settings: target, split,
      models, seed) on the data, exactly as the app does, and prints the metrics with their
      95% intervals. Without a data file it uses the sample or synthetic data the notebook names.
      --out DIR       also write metrics.json and, per model, the .benchtop artifact, the
                      predictions CSV, the HTML report and the Python (scikit-learn) script
      --target COL    use this target column instead of the notebook's
      --seed N        use this seed instead of the notebook's
      --json          print the results as JSON instead of a table

  benchtop score <model.benchtop> <data file> [--out DIR] [--json]
      Scores new data with an exported model: predictions and the drift of every input column
      against the training rows. --out DIR writes predictions.csv and score.json.

  benchtop export --target dask|python <notebook.json | share link> [options]
      Writes a Python script that runs the notebook: "dask" on a Dask cluster (data as CSV or
      Parquet partitions; models through xgboost.dask and scikit-learn's incremental learners),
      "python" with pandas + scikit-learn on one machine. Steps or models without a faithful
      form are refused by name (exit 1).
      --data FILE     the data (or a sample of it) that names the columns and their types;
                      default: the sample or synthetic data the notebook names
      --model NAME    export this model of the notebook (default: every model it trains)
      --out FILE      write the script here instead of stdout

  benchtop --help | --version

Data files: CSV, TSV, JSON, Arrow IPC or Parquet, like the app; or an http(s) URL.
Exit codes: 0 ok, 1 the run failed (the error is named on stderr), 2 bad arguments.
`;

function writeError(io: CliIo, e: unknown): number {
  if (e instanceof UsageError) {
    io.stderr.write(`benchtop: ${e.message}\nRun "benchtop --help" for usage.\n`);
    return EXIT.usage;
  }
  const err = toEngineError(e);
  const where = [err.detail.file, err.detail.line !== undefined ? `line ${err.detail.line}` : null]
    .filter(Boolean)
    .join(', ');
  io.stderr.write(
    `benchtop: ${err.name}: ${err.message}${where && !err.message.includes(where) ? ` (${where})` : ''}\n`,
  );
  if (typeof err.detail.hint === 'string') io.stderr.write(`  hint: ${err.detail.hint}\n`);
  return EXIT.failed;
}

/** Runs one command line; resolves to the exit code (it never calls process.exit). */
export async function main(
  argv: string[],
  io: CliIo,
  makeEngine: () => Engine | Promise<Engine>,
): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    (command === undefined ? io.stderr : io.stdout).write(HELP);
    return command === undefined ? EXIT.usage : EXIT.ok;
  }
  if (command === '--version' || command === '-v') {
    io.stdout.write(`benchtop ${BENCHTOP_VERSION}\n`);
    return EXIT.ok;
  }
  const commands: Record<string, typeof runCommand> = {
    run: runCommand,
    score: scoreCommand,
    export: exportCommand,
  };
  const handler = commands[command];
  if (!handler)
    return writeError(io, new UsageError(`"${command}" is not a command (run, score or export).`));
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout.write(HELP);
    return EXIT.ok;
  }
  const ctx = createContext(io, await makeEngine());
  try {
    return await handler(rest, ctx);
  } catch (e) {
    ctx.progress.clear();
    return writeError(io, e);
  }
}
