/**
 * How the UI names a dataset across reloads. Engine ids (`ds-3`) live only as long as the worker;
 * a notebook, its runs and its autosave are filed under the dataset's reference instead: where it
 * came from (sample, URL, file name, synthetic seed) plus a fingerprint, never data.
 */
import type { DatasetInfo } from '../protocol/api';
import type { DatasetRef } from '../spec/notebook';

const FINGERPRINT = /^[A-Za-z0-9._:+/=-]{1,128}$/;
// Control and text-direction characters are not allowed in a notebook's display text.
// biome-ignore lint/suspicious/noControlCharactersInRegex: that is the point
export const UNSAFE_TEXT = /[\u0000-\u001f\u007f\u202a-\u202e\u2066-\u2069]/g;

/** The reference a notebook keeps to a dataset: where it came from plus a fingerprint, never data. */
export function datasetRefFor(info: DatasetInfo): DatasetRef | null {
  const fp = info.fingerprint && FINGERPRINT.test(info.fingerprint) ? { fingerprint: info.fingerprint } : {};
  const s = info.source;
  switch (s.kind) {
    case 'sample':
      return { kind: 'sample', sample: s.sample, ...fp };
    case 'url':
      return { kind: 'url', url: s.url, ...fp };
    case 'synthetic':
      return { kind: 'synthetic', rows: s.rows, seed: s.seed, ...fp };
    case 'file':
      return {
        kind: 'file',
        name: s.name.replace(UNSAFE_TEXT, ' ').slice(0, 200),
        ...fp,
        rows: info.rows,
        columns: info.columns.length,
      };
    case 'derived':
      return null;
  }
}

/** Whether a loaded dataset is the one `ref` names (files by name: their content is checked apart). */
export function refMatches(ref: DatasetRef, info: DatasetInfo): boolean {
  const s = info.source;
  switch (ref.kind) {
    case 'sample':
      return s.kind === 'sample' && s.sample === ref.sample;
    case 'url':
      return s.kind === 'url' && s.url === ref.url;
    case 'synthetic':
      return s.kind === 'synthetic' && s.rows === ref.rows && s.seed === ref.seed;
    case 'file':
      return (
        s.kind === 'file' &&
        s.name === ref.name &&
        (!ref.fingerprint || !info.fingerprint || ref.fingerprint === info.fingerprint)
      );
  }
}

/**
 * Whether `info` is where a notebook waiting for `ref` should go: the same data, or a file of the
 * same name whose content differs (the user opened the file the notebook asked for; the notebook
 * says its results will differ).
 */
export function refAwaits(ref: DatasetRef, info: DatasetInfo): boolean {
  if (refMatches(ref, info)) return true;
  return ref.kind === 'file' && info.source.kind === 'file' && info.source.name === ref.name;
}

/**
 * A stable key for the dataset a reference names, equal across reloads and engine restarts: the
 * file's fingerprint tells two files of one name apart; samples and URLs are known by name.
 */
export function refKey(ref: DatasetRef): string {
  switch (ref.kind) {
    case 'sample':
      return `sample:${ref.sample}`;
    case 'url':
      return `url:${ref.url}`;
    case 'synthetic':
      return `synthetic:${ref.rows}:${ref.seed}`;
    case 'file':
      return `file:${ref.name}:${ref.fingerprint ?? ''}`;
  }
}

/** The key of a loaded dataset (null for a notebook's output, which has no notebook of its own). */
export function datasetKey(info: DatasetInfo): string | null {
  const ref = datasetRefFor(info);
  return ref ? refKey(ref) : null;
}

/** "iris.csv (150 rows)", for messages about a dataset the notebook refers to. */
export function describeRef(ref: DatasetRef): string {
  switch (ref.kind) {
    case 'sample':
      return `the sample "${ref.sample}"`;
    case 'url':
      return ref.url;
    case 'synthetic':
      return `synthetic data (${ref.rows.toLocaleString('en-US')} rows, seed ${ref.seed})`;
    case 'file':
      return ref.rows === undefined ? ref.name : `${ref.name} (${ref.rows.toLocaleString('en-US')} rows)`;
  }
}
