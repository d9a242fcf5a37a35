/**
 * Turns untrusted input (a decoded link, an imported file, an autosaved record) into a Notebook,
 * or into one sentence saying what is wrong and where. Phases, each on data the previous one made
 * safe: copy as plain JSON with size limits and no prototype keys → upgrade old versions →
 * check against schema.json → checks the schema cannot express → build a fresh Notebook.
 * Nothing here evaluates or renders the input; strings stay inert strings.
 */
import { MIGRATIONS, type Migration, MigrationError, migrate } from './migrate.ts';
import type {
  ColumnTypeChoice,
  DatasetRef,
  Notebook,
  ParamValue,
  StepSpec,
  TrainSettings,
  TrainSplit,
} from './notebook.ts';
import { type ParamSchemas, paramProblem, paramsProblem } from './params.ts';
import { type JsonPath, quote, sentence } from './path.ts';
import schema from './schema.json';
import { createValidator, describeValue, type JsonSchema } from './validate.ts';

export type ParseResult = { ok: true; notebook: Notebook; warnings: string[] } | { ok: false; error: string };

export interface ParseOptions {
  /** Registry names of the steps this build can run; any other step name is rejected. */
  knownSteps?: ReadonlySet<string>;
  /** Only for tests of the upgrade path; the app always uses the real chain. */
  migrations?: readonly Migration[];
  /**
   * The parameter schemas of a step or a model, by registry name (undefined: unknown here, not
   * checked). The registries live above this layer, so the caller passes them: the engine its
   * own registries, the UI the catalogue the engine sent. With it, every step's and model's
   * parameters (and every value of a tuning grid) are checked as a run would check them.
   */
  paramSchemas?: (kind: 'step' | 'model', name: string) => ParamSchemas | undefined;
}

/** Bounds checked before anything else looks at the input (the schema's own caps are tighter). */
export const PARSE_LIMITS = {
  /** Nesting of objects and lists; a valid notebook needs about 6. */
  maxDepth: 16,
  /** Every value, key-value pair and list item counts once. */
  maxValues: 200_000,
  /** UTF-16 units of any one string or key. */
  maxStringLength: 4096,
  /** Characters of JSON text accepted by parseNotebookJson. */
  maxJsonChars: 1024 * 1024,
} as const;

/** Keys that would reach or replace an object's prototype if some later code merged them. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

let validator: ((value: unknown) => string | null) | undefined;

class Rejection extends Error {}

export function parseNotebook(json: unknown, options: ParseOptions = {}): ParseResult {
  try {
    const copy = copyPlainJson(json);
    const { doc, notes } = migrate(copy, options.migrations ?? MIGRATIONS);
    validator ??= createValidator(schema as JsonSchema);
    const error = validator(doc);
    if (error) return { ok: false, error };
    const notebook = buildNotebook(doc as unknown as Notebook);
    checkSteps(notebook.steps, options.knownSteps);
    checkColumnTypes(notebook.columnTypes);
    if (options.paramSchemas) checkParams(notebook, options.paramSchemas);
    return { ok: true, notebook, warnings: notes };
  } catch (e) {
    if (e instanceof Rejection || e instanceof MigrationError) return { ok: false, error: e.message };
    throw e;
  }
}

/** Parses JSON text (an imported file, a decoded link) with a size cap, then `parseNotebook`. */
export function parseNotebookJson(text: string, options: ParseOptions = {}): ParseResult {
  if (text.length > PARSE_LIMITS.maxJsonChars) {
    return {
      ok: false,
      error: `The notebook is too large (${text.length} characters; at most ${PARSE_LIMITS.maxJsonChars}).`,
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const detail = e instanceof SyntaxError ? ` (${e.message})` : '';
    return { ok: false, error: `The notebook is not valid JSON${detail}.` };
  }
  return parseNotebook(json, options);
}

/**
 * A deep copy holding only JSON data: later phases never touch the caller's object, and whatever
 * they build cannot alias it. Rejects what JSON cannot carry (functions, dates, getters, NaN…),
 * prototype keys at any depth, and sizes no notebook needs.
 */
function copyPlainJson(root: unknown): unknown {
  let values = 0;
  const copy = (value: unknown, path: JsonPath, depth: number): unknown => {
    if (++values > PARSE_LIMITS.maxValues) {
      throw new Rejection(`The notebook is too large (more than ${PARSE_LIMITS.maxValues} values).`);
    }
    if (depth > PARSE_LIMITS.maxDepth) {
      throw new Rejection(
        sentence(path, `is nested too deeply (more than ${PARSE_LIMITS.maxDepth} levels).`),
      );
    }
    if (value === null || typeof value === 'boolean') return value;
    if (typeof value === 'number') {
      if (!Number.isFinite(value))
        throw new Rejection(sentence(path, `must be a finite number, not ${value}.`));
      return value;
    }
    if (typeof value === 'string') {
      if (value.length > PARSE_LIMITS.maxStringLength) {
        throw new Rejection(sentence(path, `is too long (${value.length} characters).`));
      }
      return value;
    }
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      for (let i = 0; i < value.length; i++) out.push(copy(value[i], [...path, i], depth + 1));
      return out;
    }
    if (typeof value === 'object') {
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        throw new Rejection(sentence(path, 'must be plain JSON data, not a class instance.'));
      }
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        if (++values > PARSE_LIMITS.maxValues) {
          throw new Rejection(`The notebook is too large (more than ${PARSE_LIMITS.maxValues} values).`);
        }
        if (FORBIDDEN_KEYS.has(key))
          throw new Rejection(sentence(path, `has the forbidden key ${quote(key)}.`));
        if (key.length > PARSE_LIMITS.maxStringLength)
          throw new Rejection(sentence(path, 'has a key that is too long.'));
        const descriptor = Object.getOwnPropertyDescriptor(value, key);
        if (!descriptor || !('value' in descriptor)) {
          throw new Rejection(sentence([...path, key], 'must be a plain value, not a getter.'));
        }
        out[key] = copy(descriptor.value, [...path, key], depth + 1);
      }
      return out;
    }
    throw new Rejection(sentence(path, `must be JSON data, not ${describeValue(value)}.`));
  };
  return copy(root, [], 0);
}

/** Rules between steps, which a JSON schema cannot state. */
function checkSteps(steps: readonly StepSpec[], knownSteps: ReadonlySet<string> | undefined): void {
  const firstIndex = new Map<string, number>();
  steps.forEach((step, i) => {
    const earlier = firstIndex.get(step.id);
    if (earlier !== undefined) {
      throw new Rejection(
        sentence(
          ['steps', i, 'id'],
          `${quote(step.id)} is also used by steps[${earlier}]; step ids must be unique.`,
        ),
      );
    }
    firstIndex.set(step.id, i);
    if (knownSteps && !knownSteps.has(step.step)) {
      throw new Rejection(
        sentence(['steps', i, 'step'], `${quote(step.step)} is not a step this version of Benchtop knows.`),
      );
    }
  });
}

/** A date format belongs to a date or datetime column (the engine refuses it on any other). */
function checkColumnTypes(choices: Notebook['columnTypes']): void {
  for (const [column, choice] of Object.entries(choices ?? {})) {
    if (choice.dateFormat !== undefined && choice.type !== 'date' && choice.type !== 'datetime') {
      throw new Rejection(
        sentence(
          ['columnTypes', column, 'dateFormat'],
          `applies to date and datetime columns, not to the type ${quote(choice.type)}.`,
        ),
      );
    }
  }
}

/** Every step's and model's parameters against their registry's schemas. */
function checkParams(notebook: Notebook, schemasOf: NonNullable<ParseOptions['paramSchemas']>): void {
  const check = (schemas: ParamSchemas | undefined, params: Record<string, ParamValue>, path: JsonPath) => {
    const found = schemas && paramsProblem(schemas, params);
    if (found) throw new Rejection(sentence([...path, found.key], found.problem));
  };
  notebook.steps.forEach((step, i) => {
    check(schemasOf('step', step.step), step.params, ['steps', i, 'params']);
  });
  const train = notebook.train;
  if (!train) return;
  train.models.forEach((model, i) => {
    check(schemasOf('model', model.name), model.params, ['train', 'models', i, 'params']);
  });
  if (train.tune) {
    const schemas = schemasOf('model', train.tune.model);
    for (const [key, values] of Object.entries(train.tune.grid)) {
      const def = schemas?.[key];
      if (schemas && !def) {
        const known = Object.keys(schemas).join(', ') || 'none';
        throw new Rejection(
          sentence(['train', 'tune', 'grid', key], `is not a parameter here (parameters: ${known}).`),
        );
      }
      values.forEach((value, j) => {
        const problem = def && paramProblem(def, value);
        if (problem) throw new Rejection(sentence(['train', 'tune', 'grid', key, j], problem));
      });
    }
  }
}

/** The document rebuilt field by field from validated data, in one fixed key order. */
function buildNotebook(doc: Notebook): Notebook {
  const notebook: Notebook = {
    version: doc.version,
    seed: doc.seed,
    dataset: doc.dataset === null ? null : buildDataset(doc.dataset),
    target: doc.target,
    steps: doc.steps.map(buildStep),
  };
  if (doc.title !== undefined) notebook.title = doc.title;
  if (doc.train !== undefined) notebook.train = buildTrain(doc.train);
  if (doc.columnTypes !== undefined) {
    const choices: Record<string, ColumnTypeChoice> = {};
    for (const [column, choice] of Object.entries(doc.columnTypes)) {
      choices[column] =
        choice.dateFormat === undefined
          ? { type: choice.type }
          : { type: choice.type, dateFormat: choice.dateFormat };
    }
    notebook.columnTypes = choices;
  }
  return notebook;
}

/** The Train tab's experiment, copied the same way (validated data, fixed keys, fresh objects). */
function buildTrain(train: TrainSettings): TrainSettings {
  const split: TrainSplit = { kind: train.split.kind };
  for (const key of ['k', 'repeats', 'testSize', 'stratify', 'shuffle', 'group', 'timeColumn'] as const) {
    if (train.split[key] !== undefined) (split as unknown as Record<string, unknown>)[key] = train.split[key];
  }
  const out: TrainSettings = {
    split,
    models: train.models.map((m) => ({ name: m.name, params: copyParams(m.params) })),
  };
  if (train.task !== undefined) out.task = train.task;
  if (train.tune !== undefined) {
    const grid: Record<string, ParamValue[]> = {};
    for (const [name, values] of Object.entries(train.tune.grid)) grid[name] = values.map(copyParam);
    out.tune = { model: train.tune.model, grid };
  }
  return out;
}

function copyParams(params: Record<string, ParamValue>): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  for (const [name, value] of Object.entries(params)) out[name] = copyParam(value);
  return out;
}

function buildDataset(ref: DatasetRef): DatasetRef {
  const fingerprint = ref.fingerprint === undefined ? {} : { fingerprint: ref.fingerprint };
  switch (ref.kind) {
    case 'sample':
      return { kind: 'sample', sample: ref.sample, ...fingerprint };
    case 'url':
      return { kind: 'url', url: ref.url, ...fingerprint };
    case 'synthetic':
      return { kind: 'synthetic', rows: ref.rows, seed: ref.seed, ...fingerprint };
    case 'file': {
      const file: DatasetRef = { kind: 'file', name: ref.name, ...fingerprint };
      if (ref.rows !== undefined) file.rows = ref.rows;
      if (ref.columns !== undefined) file.columns = ref.columns;
      return file;
    }
  }
}

function buildStep(spec: StepSpec): StepSpec {
  const params: Record<string, ParamValue> = {};
  for (const [name, value] of Object.entries(spec.params)) params[name] = copyParam(value);
  const step: StepSpec = { id: spec.id, step: spec.step, params, enabled: spec.enabled };
  if (spec.label !== undefined) step.label = spec.label;
  if (spec.columns !== undefined) step.columns = [...spec.columns];
  return step;
}

function copyParam(value: ParamValue): ParamValue {
  return Array.isArray(value) ? value.map(copyParam) : value;
}
