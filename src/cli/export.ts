/**
 * `benchtop export --target dask|python <notebook>`: the notebook and its experiment as a Python
 * script. The columns each step reads are resolved on the data (or a sample of it) as the app
 * resolves them; the statistics themselves are computed by the script on the full data.
 */

import { basename, dirname } from 'node:path';
import type { ModelSpec } from '../protocol/api';
import { DEFAULT_SETTINGS, declaredTask, splitFor } from '../protocol/train-spec';
import { parse, positionalCount, stringOption, UsageError } from './args';
import type { CliContext } from './context';
import { outDir, writeOut } from './files';
import { fingerprintWarning, loadData, readNotebookArg } from './inputs';

export const EXPORT_OPTIONS = {
  target: { type: 'string' },
  data: { type: 'string' },
  model: { type: 'string' },
  out: { type: 'string' },
} as const;

const TARGETS = ['dask', 'python'] as const;

export async function exportCommand(args: string[], ctx: CliContext): Promise<number> {
  const p = parse(args, EXPORT_OPTIONS);
  positionalCount(p, 'export', ['notebook | link']);
  const target = stringOption(p, 'target');
  if (!target || !(TARGETS as readonly string[]).includes(target)) {
    throw new UsageError(
      target
        ? `--target must be dask or python, not "${target}".`
        : 'benchtop export needs --target dask or --target python.',
    );
  }
  const { engine, io, progress } = ctx;
  const knownSteps = new Set((await engine.stepCatalog()).map((s) => s.name));
  const { notebook, warnings } = await readNotebookArg(p.positionals[0]!, io.cwd, knownSteps);
  for (const w of warnings) progress.note(`note: ${w}`);
  const dataArg = stringOption(p, 'data');
  const dataset = await loadData(engine, dataArg, notebook, io.cwd, ctx.job(), (text) => progress.note(text));
  const mismatch = fingerprintWarning(notebook, dataset);
  if (mismatch) progress.note(mismatch);

  const settings = notebook.train ?? DEFAULT_SETTINGS;
  const wanted = stringOption(p, 'model');
  const models: ModelSpec[] = settings.models.filter((m) => wanted === undefined || m.name === wanted);
  if (models.length === 0) {
    throw new UsageError(
      `The notebook trains no model called "${wanted}" (it trains ${settings.models.map((m) => m.name).join(', ') || 'none'}).`,
    );
  }
  const task = declaredTask(notebook, settings) ?? (await engine.inferTask(dataset.id, notebook.target));
  const base = {
    notebook,
    target: notebook.target,
    task,
    split: splitFor(settings, task),
    seed: notebook.seed,
  };
  const dataFile =
    dataArg !== undefined && !/^https?:/i.test(dataArg)
      ? basename(dataArg)
      : dataset.source.kind === 'sample'
        ? `${dataset.source.sample}.csv`
        : 'data.csv';
  let script: string;
  if (target === 'dask') {
    script = await engine.exportDask(dataset.id, { ...base, models, dataFile });
  } else {
    if (models.length > 1) {
      throw new UsageError(
        `The Python export writes one model; the notebook trains ${models.map((m) => m.name).join(', ')}: pick one with --model.`,
      );
    }
    script = await engine.exportPython(dataset.id, { ...base, model: models[0]!, csvFile: dataFile });
  }
  const out = stringOption(p, 'out');
  if (out === undefined) {
    progress.clear();
    io.stdout.write(script);
    return 0;
  }
  const file = await writeOut(await outDir(io.cwd, dirname(out)), basename(out), script);
  progress.note(`wrote ${file}`);
  return 0;
}
