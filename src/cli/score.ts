/**
 * `benchtop score <model.benchtop> <data>`: new data through an exported model, as the Export
 * tab's "Score new data" does — benchtop-runtime's checks of the data contract, the drift of every
 * input column against the training rows, and (with --out) the predictions CSV.
 */
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { emptyNotebook } from '../spec/notebook';
import { parse, positionalCount, stringOption, UsageError } from './args';
import type { CliContext } from './context';
import { outDir, writeOut } from './files';
import { loadData } from './inputs';
import { scoreText } from './table';

export const SCORE_OPTIONS = {
  out: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export async function scoreCommand(args: string[], ctx: CliContext): Promise<number> {
  const p = parse(args, SCORE_OPTIONS);
  positionalCount(p, 'score', ['model.benchtop', 'data file']);
  const { engine, io, progress } = ctx;
  const artifactPath = resolve(io.cwd, p.positionals[0]!);
  const isFile = await stat(artifactPath).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!isFile) throw new UsageError(`The model file "${p.positionals[0]}" does not exist.`);
  const out = stringOption(p, 'out');
  const dir = out !== undefined ? await outDir(io.cwd, out) : null;

  const model = await engine.importArtifact(new Uint8Array(await readFile(artifactPath)));
  progress.note(
    `model: ${model.label} (${model.model}, made by Benchtop ${model.benchtopVersion} on ${model.createdAt.slice(0, 10)})`,
  );
  const dataset = await loadData(engine, p.positionals[1], emptyNotebook(), io.cwd, ctx.job());
  progress.note(
    `loaded ${dataset.name}: ${dataset.rows.toLocaleString('en-US')} rows × ${dataset.columns.length} columns`,
  );
  const report = await engine.scoreDataset(model.id, dataset.id, ctx.job());
  const backend = await engine.backendInfo();
  progress.note(`backend: Node, kernels ${backend.kernels}; predictions by benchtop-runtime on the CPU`);
  const json = {
    benchtop: 'score',
    model: { label: model.label, name: model.model, target: model.target, task: model.task },
    dataset: { name: dataset.name, rows: dataset.rows, fingerprint: dataset.fingerprint ?? null },
    backend,
    ...report,
  };
  if (dir) {
    const csv = await engine.predictionsCsv(model.id, dataset.id, ctx.job());
    progress.note(`wrote ${await writeOut(dir, 'predictions.csv', csv)}`);
    progress.note(`wrote ${await writeOut(dir, 'score.json', `${JSON.stringify(json, null, 2)}\n`)}`);
  }
  progress.clear();
  io.stdout.write(
    p.values.json ? `${JSON.stringify(json, null, 2)}\n` : `${scoreText(report, model.label)}\n`,
  );
  return 0;
}
