/**
 * What the commands read: a notebook (a JSON file, or a share link as a whole URL, a `#nb=…`
 * fragment or a file holding one), and a dataset (a file in any format the app reads, an http(s)
 * URL, or — when no data is given — the sample or synthetic data the notebook names).
 */
import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { Engine } from '../../workers/engine';
import type { DatasetInfo, JobOptions } from '../protocol/api';
import { decodeNotebookLink, fragmentHasNotebook } from '../spec/link';
import type { Notebook } from '../spec/notebook';
import { parseNotebookJson } from '../spec/parse';
import { UsageError } from './args';

export interface NotebookInput {
  notebook: Notebook;
  /** Where it came from, for messages and metrics.json: the file path or "share link". */
  source: string;
  warnings: string[];
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** A notebook from a path or a link; anything unreadable is a bad argument (exit 2) that says why. */
export async function readNotebookArg(
  arg: string,
  cwd: string,
  knownSteps: ReadonlySet<string>,
): Promise<NotebookInput> {
  const path = resolve(cwd, arg);
  let text: string;
  let source: string;
  if (await isFile(path)) {
    text = (await readFile(path, 'utf8')).trim();
    source = arg;
  } else if (fragmentHasNotebook(arg)) {
    text = arg.trim();
    source = 'share link';
  } else {
    throw new UsageError(
      `"${arg}" is neither a notebook file nor a share link (a link contains "#nb=v1.…").`,
    );
  }
  const fromLink = !text.startsWith('{');
  const parsed = fromLink
    ? await decodeNotebookLink(text, { knownSteps })
    : parseNotebookJson(text, { knownSteps });
  if (!parsed.ok) {
    throw new UsageError(
      `${source === 'share link' ? 'The share link' : `"${arg}"`} is not a notebook Benchtop can open: ${parsed.error}`,
    );
  }
  return {
    notebook: parsed.notebook,
    source: fromLink && source !== 'share link' ? `${arg} (share link)` : source,
    warnings: parsed.warnings,
  };
}

/**
 * Loads the data: the given file or URL, else the notebook's own sample or synthetic dataset.
 * A missing file is a bad argument; a file that does not parse is a run failure (ParseError…).
 */
export async function loadData(
  engine: Engine,
  arg: string | undefined,
  notebook: Notebook,
  cwd: string,
  job: JobOptions,
  note: (text: string) => void = () => {},
): Promise<DatasetInfo> {
  const info = await loadUntyped(engine, arg, notebook, cwd, job);
  return applyColumnTypes(engine, info, notebook, note);
}

async function loadUntyped(
  engine: Engine,
  arg: string | undefined,
  notebook: Notebook,
  cwd: string,
  job: JobOptions,
): Promise<DatasetInfo> {
  if (arg !== undefined) {
    if (/^https?:\/\//i.test(arg)) return engine.loadUrl(arg, undefined, job);
    const path = resolve(cwd, arg);
    if (!(await isFile(path))) throw new UsageError(`The data file "${arg}" does not exist.`);
    const bytes = new Uint8Array(await readFile(path));
    return engine.loadBytes(bytes, basename(path), undefined, job);
  }
  const ref = notebook.dataset;
  if (ref?.kind === 'sample') return engine.loadSample(ref.sample, job);
  if (ref?.kind === 'synthetic') return engine.generateSynthetic({ rows: ref.rows, seed: ref.seed }, job);
  const named =
    ref?.kind === 'file'
      ? ` (the notebook was made on "${ref.name}")`
      : ref?.kind === 'url'
        ? ` (the notebook was made on ${ref.url}; pass that URL to download it)`
        : '';
  throw new UsageError(`Give the data file${named}.`);
}

/**
 * The column types the user chose in the app (the notebook's `columnTypes`), applied as the app
 * applies them before the steps run; one that does not apply is a warning, and the column stays.
 */
async function applyColumnTypes(
  engine: Engine,
  loaded: DatasetInfo,
  notebook: Notebook,
  note: (text: string) => void,
): Promise<DatasetInfo> {
  let info = loaded;
  for (const [column, choice] of Object.entries(notebook.columnTypes ?? {})) {
    const as = choice.dateFormat === undefined ? choice.type : `${choice.type} (format ${choice.dateFormat})`;
    if (!info.columns.some((c) => c.name === column)) {
      note(`warning: the notebook reads "${column}" as ${as}, but ${info.name} has no such column.`);
      continue;
    }
    try {
      info =
        choice.dateFormat === undefined
          ? await engine.setColumnType(info.id, column, choice.type)
          : await engine.setColumnType(info.id, column, choice.type, choice.dateFormat);
    } catch (e) {
      note(
        `warning: the notebook reads "${column}" as ${as}, which ${info.name} refused: ${e instanceof Error ? e.message : String(e)}`,
      );
      continue;
    }
    const unfit = info.columns.find((c) => c.name === column)?.unfit ?? 0;
    if (unfit > 0) note(`warning: "${column}" read as ${as}: ${unfit} values did not fit and are missing.`);
  }
  return info;
}

/** A warning when the data is not the data the notebook was made on (same name, other content). */
export function fingerprintWarning(notebook: Notebook, info: DatasetInfo): string | null {
  const want = notebook.dataset?.fingerprint;
  if (!want || !info.fingerprint || want === info.fingerprint) return null;
  return `warning: ${info.name} is not the data this notebook was made on (its fingerprint differs); the numbers will differ from the app's.`;
}
