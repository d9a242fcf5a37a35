/**
 * The engine's arguments, checked at the boundary. Every EngineApi method has one small schema
 * (below, in the order of src/protocol/api.ts); `withArgumentChecks` wraps an engine so that each
 * call is checked before it is forwarded. A call that breaks its schema rejects with an
 * `InvalidArgument` EngineError that names the method, the argument (a path such as
 * `options.bins`) and what is expected — never with whatever the code below would have tripped
 * over ("Invalid typed array length: -1", "Cannot read properties of undefined").
 *
 * The schemas check shapes, types and ranges that need no data. Whether a column exists, a model
 * is deployed or a step's parameters suit the step stays with the code that knows (it reports
 * NotFound or a per-step error). Unknown keys in option objects are ignored, as before.
 * Pure: no comlink, no state; the same checks run in the worker and in-process.
 */
import { EngineError } from '../src/core/errors';
import { LIMITS } from '../src/core/limits';
import { COLUMN_TYPES } from '../src/core/types';
import type { EngineApi } from '../src/protocol/api';
import { parseNotebook } from '../src/spec/parse';

/** A failed check: where (a path below the argument) and what was expected there. */
class Mismatch extends Error {
  constructor(
    readonly at: string,
    readonly expected: string,
    readonly value: unknown,
    /** A whole sentence from a deeper checker (the notebook parser), used instead of `expected`. */
    readonly sentence?: string,
  ) {
    super(expected);
  }
}

export interface Schema {
  /** What a valid value is, in words: "a whole number from 1 to 10,000". */
  readonly expects: string;
  check(value: unknown, at: string): void;
}

const schema = (expects: string, ok: (value: unknown, at: string) => boolean): Schema => ({
  expects,
  check(value, at) {
    if (!ok(value, at)) throw new Mismatch(at, expects, value);
  },
});

const fmt = (n: number): string => n.toLocaleString('en-US');

// ── Building blocks ──

/** A string of at most `max` characters (`min` at least). */
export const text = (max = 65_536, min = 0): Schema =>
  schema(
    min > 0 ? `text of ${fmt(min)} to ${fmt(max)} characters` : `text of at most ${fmt(max)} characters`,
    (v) => typeof v === 'string' && v.length >= min && v.length <= max,
  );

/** One of the listed strings. */
export const literal = (...values: readonly string[]): Schema =>
  schema(`one of ${values.map((v) => JSON.stringify(v)).join(', ')}`, (v) =>
    (values as readonly unknown[]).includes(v),
  );

export const whole = (min: number, max: number): Schema =>
  schema(
    `a whole number from ${fmt(min)} to ${fmt(max)}`,
    (v) => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max,
  );

/** A finite number in [min, max], or (min, max) when `open`. */
export const number = (min = -Number.MAX_VALUE, max = Number.MAX_VALUE, open = false): Schema => {
  const bounded = min > -Number.MAX_VALUE || max < Number.MAX_VALUE;
  const range = open ? `between ${min} and ${max} (exclusive)` : `from ${min} to ${max}`;
  return schema(
    bounded ? `a number ${range}` : 'a finite number',
    (v) => typeof v === 'number' && Number.isFinite(v) && (open ? v > min && v < max : v >= min && v <= max),
  );
};

export const bool: Schema = schema('true or false', (v) => typeof v === 'boolean');
export const fn: Schema = schema('a function', (v) => typeof v === 'function');
export const bytes: Schema = schema('bytes (a Uint8Array)', (v) => v instanceof Uint8Array);
export const blob: Schema = schema(
  'a file (a Blob)',
  (v) => typeof Blob !== 'undefined' && v instanceof Blob,
);

export const optional = (inner: Schema): Schema => ({
  expects: `${inner.expects} (or nothing)`,
  check(v, at) {
    if (v !== undefined) inner.check(v, at);
  },
});

export const nullable = (inner: Schema): Schema => ({
  expects: `${inner.expects} or null`,
  check(v, at) {
    if (v === null) return;
    try {
      inner.check(v, at);
    } catch (e) {
      if (e instanceof Mismatch && e.at === at && !e.sentence)
        throw new Mismatch(at, `${e.expected} or null`, v);
      throw e;
    }
  },
});

export const either = (...options: readonly Schema[]): Schema => {
  const expects = options.map((o) => o.expects).join(', or ');
  return schema(expects, (v, at) =>
    options.some((o) => {
      try {
        o.check(v, at);
        return true;
      } catch (e) {
        if (e instanceof Mismatch) return false;
        throw e;
      }
    }),
  );
};

export const list = (item: Schema, max: number, min = 0): Schema => ({
  expects: `a list of ${fmt(min)} to ${fmt(max)} items, each ${item.expects}`,
  check(v, at) {
    if (!Array.isArray(v)) throw new Mismatch(at, `a list (of ${item.expects})`, v);
    if (v.length < min || v.length > max) {
      throw new Mismatch(at, `a list of ${fmt(min)} to ${fmt(max)} items`, v);
    }
    for (let i = 0; i < v.length; i++) item.check(v[i], `${at}[${i}]`);
  },
});

export const pair = (item: Schema): Schema => ({
  expects: `two values [low, high], each ${item.expects}`,
  check(v, at) {
    if (!Array.isArray(v) || v.length !== 2) throw new Mismatch(at, this.expects, v);
    item.check(v[0], `${at}[0]`);
    item.check(v[1], `${at}[1]`);
  },
});

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);

/** An object with these properties (wrap optional ones in `optional`); other keys are ignored. */
export const object = (properties: Record<string, Schema>, what = 'an object'): Schema => ({
  expects: what,
  check(v, at) {
    if (!isPlainObject(v)) throw new Mismatch(at, what, v);
    for (const [key, s] of Object.entries(properties)) {
      s.check(Object.hasOwn(v, key) ? v[key] : undefined, at ? `${at}.${key}` : key);
    }
  },
});

/** An object with string keys (at most `maxKeys`) whose values all match `value`. */
export const record = (value: Schema, maxKeys: number): Schema => ({
  expects: `an object of at most ${fmt(maxKeys)} entries, each ${value.expects}`,
  check(v, at) {
    if (!isPlainObject(v)) throw new Mismatch(at, `an object (name → ${value.expects})`, v);
    const keys = Object.keys(v);
    if (keys.length > maxKeys) throw new Mismatch(at, `an object of at most ${fmt(maxKeys)} entries`, v);
    for (const key of keys) value.check(v[key], `${at}[${JSON.stringify(key)}]`);
  },
});

/** A tagged union: `v[tag]` picks the variant's schema. */
export const tagged = (tag: string, variants: Record<string, Schema>): Schema => ({
  expects: `an object whose "${tag}" is one of ${Object.keys(variants)
    .map((k) => JSON.stringify(k))
    .join(', ')}`,
  check(v, at) {
    if (!isPlainObject(v)) throw new Mismatch(at, this.expects, v);
    const kind = v[tag];
    if (typeof kind !== 'string' || !Object.hasOwn(variants, kind)) {
      throw new Mismatch(at ? `${at}.${tag}` : tag, literal(...Object.keys(variants)).expects, kind);
    }
    variants[kind]!.check(v, at);
  },
});

/** A value built from itself up to `depth` levels (train parameters, cells). */
const recursive = (expects: string, scalar: (v: unknown) => boolean, maxItems: number, depth = 4): Schema => {
  const ok = (v: unknown, level: number): boolean =>
    scalar(v) ||
    (Array.isArray(v) && level < depth && v.length <= maxItems && v.every((x) => ok(x, level + 1)));
  return schema(expects, (v) => ok(v, 0));
};

// ── Values of this API ──

/** Ids of datasets, models and jobs, column and file names: non-empty text. */
const name = text(65_536, 1);
const columnName = name;
const columns = list(columnName, 100_000);
const seed = whole(0, LIMITS.seed);
const task = literal('classification', 'regression', 'clustering');
const count = whole(0, 2 ** 32 - 1);

const notebookSchema: Schema = {
  expects: 'a notebook (version, seed, dataset, target, steps)',
  check(v, at) {
    const parsed = parseNotebook(v);
    if (!parsed.ok) throw new Mismatch(at, this.expects, v, parsed.error);
  },
};

const paramValue = recursive(
  'a parameter value (text, a number, true/false, null or a list of them)',
  (v) => v === null || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number',
  10_000,
);
const params = record(paramValue, 256);
const modelSpec = object({ name, params }, 'a model {name, params}');

const splitSpec = tagged('kind', {
  holdout: object({
    testSize: number(0, 1, true),
    stratify: optional(bool),
    shuffle: optional(bool),
    group: optional(nullable(columnName)),
    timeColumn: optional(nullable(columnName)),
  }),
  ...Object.fromEntries(
    ['kfold', 'stratified-kfold', 'group-kfold'].map((kind) => [
      kind,
      object({
        k: whole(2, 1000),
        repeats: optional(whole(1, 100)),
        shuffle: optional(bool),
        group: optional(nullable(columnName)),
      }),
    ]),
  ),
});

const trainFields = {
  notebook: notebookSchema,
  target: nullable(columnName),
  task: optional(task),
  features: optional(nullable(columns)),
  split: splitSpec,
  seed,
  importance: optional(object({ repeats: whole(1, 100) })),
};
const trainSpec = object({ ...trainFields, models: list(modelSpec, 50, 1) }, 'a training spec');

const paramRange = tagged('type', {
  values: object({ values: list(paramValue, 10_000, 1) }),
  uniform: object({ low: number(), high: number(), integer: optional(bool) }),
  'log-uniform': object({ low: number(0, Number.MAX_VALUE, true), high: number(), integer: optional(bool) }),
});
const tuneSpec = object(
  {
    ...trainFields,
    model: name,
    params: optional(params),
    grid: optional(record(list(paramValue, 10_000, 1), 64)),
    random: optional(object({ n: whole(1, 10_000), ranges: record(paramRange, 64) })),
    batch: optional(bool),
  },
  'a tuning spec',
);

const exportFields = {
  notebook: notebookSchema,
  target: nullable(columnName),
  task: optional(task),
  features: optional(nullable(columns)),
  model: modelSpec,
};
const exportSpec = object(
  {
    ...exportFields,
    split: optional(splitSpec),
    notebookLink: optional(nullable(text(1_000_000))),
    metrics: optional(record(number(), 1000)),
  },
  'an export spec',
);
const pythonSpec = object(
  { ...exportFields, split: splitSpec, seed, csvFile: text(4096, 1) },
  'a Python export spec',
);

const daskSpec = object(
  {
    notebook: notebookSchema,
    target: nullable(columnName),
    task: optional(task),
    features: optional(nullable(columns)),
    models: list(modelSpec, 50, 1),
    split: splitSpec,
    seed,
    dataFile: text(4096, 1),
  },
  'a Dask export spec',
);

const cell = schema(
  'a cell value (text, a number, true/false or null)',
  (v) => v === null || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number',
);
const row = record(cell, 100_000);
const intList = list(whole(-(2 ** 31), 2 ** 32), 100_000_000);
const numberList = (max: number) =>
  list(
    schema('a number', (v) => typeof v === 'number'),
    max,
  );

const oof = object({
  rows: intList,
  truth: numberList(100_000_000),
  predicted: numberList(100_000_000),
  fold: intList,
  probability: optional(object({ predicted: numberList(100_000_000), truth: numberList(100_000_000) })),
});
const errorSpec = object(
  {
    notebook: notebookSchema,
    target: columnName,
    // A clustering run is refused further in, with a sentence that says why.
    task,
    classes: nullable(list(text(), 100_000)),
    rows: count,
    oof,
    options: optional(
      object({
        minSize: optional(whole(1, 2 ** 32)),
        minShare: optional(number(0, 1)),
        bins: optional(whole(2, 50)),
        pairFeatures: optional(whole(0, 40)),
        maxSlices: optional(whole(1, 10_000)),
        worstRows: optional(whole(0, 100_000)),
        alpha: optional(number(0, 1, true)),
      }),
    ),
  },
  'an error-analysis spec',
);
const sliceCondition = tagged('kind', {
  range: object({ column: columnName, low: nullable(number()), high: nullable(number()) }),
  equals: object({ column: columnName, value: number() }),
  category: object({ column: columnName, value: text() }),
  missing: object({ column: columnName }),
});
const errorQuery = tagged('kind', {
  slice: object({ conditions: list(sliceCondition, 16) }),
  cell: object({ truth: whole(0, 2 ** 31), predicted: whole(0, 2 ** 31) }),
  worst: object({ count: count }),
});

const runScores = object(
  {
    label: text(),
    scores: numberList(10_000),
    truth: optional(numberList(100_000_000)),
    predicted: optional(numberList(100_000_000)),
  },
  'run scores {label, scores}',
);

const rangeBound = schema('a number (not NaN)', (v) => typeof v === 'number' && !Number.isNaN(v));
const exploreFilter = tagged('kind', {
  range: object({ column: columnName, range: pair(rangeBound) }),
  categories: object({ column: columnName, categories: list(text(), 1_000_000), missing: optional(bool) }),
  mask: object({ mask: bytes }),
});

/** One ASCII character other than a quote or a line end (the tokenizer works on UTF-8 bytes). */
const delimiter = schema(
  'one ASCII character other than a quote or a line end',
  (v) => typeof v === 'string' && v.length === 1 && v.charCodeAt(0) < 128 && !'"\n\r\0'.includes(v),
);
const loadOptions = optional(
  object({
    delimiter: optional(delimiter),
    header: optional(bool),
    encoding: optional(literal('utf-8', 'utf-16le', 'utf-16be', 'latin1')),
    columnTypes: optional(record(literal(...COLUMN_TYPES), 100_000)),
    dateFormats: optional(record(text(200, 1), 100_000)),
    missingMarkers: optional(list(text(1000), 1000)),
    name: optional(text(1000, 1)),
  }),
);

/** An http(s) address whose path decodes (a malformed %-escape would fail later, as "URI malformed"). */
const url: Schema = {
  expects: 'an http:// or https:// address',
  check(v, at) {
    if (typeof v !== 'string' || v.length > 65_536) throw new Mismatch(at, this.expects, v);
    let parsed: URL;
    try {
      parsed = new URL(v.trim());
    } catch {
      throw new Mismatch(at, this.expects, v);
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Mismatch(at, this.expects, v);
    try {
      decodeURIComponent(parsed.pathname);
    } catch {
      throw new Mismatch(at, 'an address whose %-escapes are complete (like %20)', v);
    }
  },
};

const job = optional(
  object({ id: name, onProgress: optional(fn), release: optional(fn) }, 'job options {id, onProgress}'),
);

// ── One signature per method: [argument name, schema] in call order ──

type Signature = readonly (readonly [string, Schema])[];

const datasetId = ['datasetId', name] as const;
const modelId = ['modelId', name] as const;
const jobArg = ['job', job] as const;

export const SIGNATURES: { readonly [K in keyof EngineApi]: Signature } = {
  // Explore
  setSelection: [datasetId, ['selection', nullable(list(exploreFilter, 1000))]],
  selectedRows: [datasetId, ['offset', count], ['limit', count]],
  selectedTable: [datasetId, ['offset', count], ['limit', count]],
  columnSummary: [
    datasetId,
    ['column', columnName],
    ['options', optional(object({ bins: optional(whole(1, 10_000)) }))],
  ],
  scatterData: [
    datasetId,
    [
      'spec',
      object({
        x: columnName,
        y: columnName,
        color: optional(nullable(columnName)),
        size: optional(nullable(columnName)),
      }),
    ],
  ],
  columnsData: [datasetId, ['columns', columns]],
  correlation: [
    datasetId,
    [
      'options',
      optional(
        object({ method: optional(literal('pearson', 'spearman')), columns: optional(nullable(columns)) }),
      ),
    ],
  ],
  groupedDistribution: [datasetId, ['column', columnName], ['by', nullable(columnName)]],
  missingness: [datasetId],
  insights: [datasetId, ['options', optional(object({ target: optional(nullable(columnName)) }))], jobArg],
  embedding: [
    datasetId,
    [
      'options',
      object({
        method: literal('pca', 'tsne', 'umap'),
        columns: optional(nullable(columns)),
        seed: optional(seed),
      }),
    ],
    jobArg,
  ],
  embeddingFrame: [['jobId', name]],
  keepSlice: [
    datasetId,
    [
      'slice',
      object(
        {
          name: text(256, 1),
          expression: nullable(text()),
          rows: schema('row ids (a Uint32Array)', (v) => v instanceof Uint32Array),
          description: optional(text(4096)),
        },
        'a slice',
      ),
    ],
  ],
  keptSlices: [datasetId],
  forgetSlice: [datasetId, ['name', text(256, 1)]],

  // Train
  modelCatalog: [],
  inferTask: [datasetId, ['target', nullable(columnName)]],
  featurePlan: [
    datasetId,
    [
      'spec',
      object(
        {
          notebook: notebookSchema,
          target: nullable(columnName),
          features: optional(nullable(columns)),
          split: optional(splitSpec),
        },
        'a feature-plan spec',
      ),
    ],
    jobArg,
  ],
  trainModels: [datasetId, ['spec', trainSpec], jobArg],
  compareBaselines: [
    datasetId,
    [
      'spec',
      object({
        notebook: notebookSchema,
        target: columnName,
        task: optional(task),
        seed,
        features: optional(nullable(columns)),
      }),
    ],
    jobArg,
  ],
  tuneModel: [datasetId, ['spec', tuneSpec], jobArg],
  learningCurve: [
    datasetId,
    [
      'spec',
      object(
        {
          ...trainFields,
          models: list(modelSpec, 50, 1),
          fractions: optional(list(number(0, 1, false), 20, 1)),
        },
        'a learning-curve spec',
      ),
    ],
    jobArg,
  ],
  compareRuns: [
    ['a', runScores],
    ['b', runScores],
    [
      'options',
      object({ metric: text(256, 1), higherIsBetter: bool, testTrainRatio: number(0, Number.MAX_VALUE) }),
    ],
  ],
  errorAnalysis: [datasetId, ['spec', errorSpec], jobArg],
  errorRows: [datasetId, ['spec', errorSpec], ['query', errorQuery]],

  // Export
  exportArtifact: [datasetId, ['spec', exportSpec], jobArg],
  exportPython: [datasetId, ['spec', pythonSpec]],
  pythonExportIssues: [
    datasetId,
    ['spec', object({ notebook: notebookSchema, target: nullable(columnName), model: modelSpec })],
  ],
  exportDask: [datasetId, ['spec', daskSpec]],

  // Deploy
  deployModel: [datasetId, ['spec', exportSpec], jobArg],
  importArtifact: [
    ['json', either(text(512 * 1024 * 1024), bytes)],
    ['weights', optional(bytes)],
  ],
  deployedModels: [],
  removeDeployed: [modelId],
  deployedArtifact: [modelId],
  predictRows: [modelId, ['rows', list(row, 1_000_000)]],
  artifactBundle: [modelId],
  scoreDataset: [modelId, datasetId, jobArg],
  predictionsCsv: [modelId, datasetId, jobArg],
  partialDependence: [
    modelId,
    datasetId,
    ['feature', columnName],
    [
      'options',
      optional(
        object({
          gridResolution: optional(whole(2, 1000)),
          percentiles: optional(pair(number(0, 1))),
          iceRows: optional(whole(0, 100_000)),
          seed: optional(seed),
        }),
      ),
    ],
    jobArg,
  ],
  counterfactual: [
    modelId,
    ['row', row],
    [
      'options',
      optional(
        object({
          targetClass: optional(nullable(text())),
          features: optional(nullable(columns)),
          seed: optional(seed),
          samplesPerLayer: optional(whole(10, 20_000)),
        }),
      ),
    ],
    jobArg,
  ],

  // Data
  backendInfo: [],
  samples: [],
  datasets: [],
  loadFile: [['file', blob], ['fileName', text(4096, 1)], ['options', loadOptions], jobArg],
  loadBytes: [['bytes', bytes], ['fileName', text(4096, 1)], ['options', loadOptions], jobArg],
  loadUrl: [['url', url], ['options', loadOptions], jobArg],
  loadSample: [['name', name], jobArg],
  generateSynthetic: [
    [
      'options',
      object({
        rows: whole(1, LIMITS.syntheticRows),
        seed,
        columns: optional(whole(1, LIMITS.syntheticColumns)),
      }),
    ],
    jobArg,
  ],
  removeDataset: [['id', name]],
  // Out-of-range rows are clamped to the table, as the Data tab's scrolling expects.
  rows: [datasetId, ['start', whole(-(2 ** 53), 2 ** 53)], ['end', whole(-(2 ** 53), 2 ** 53)]],
  setColumnType: [
    datasetId,
    ['column', columnName],
    ['type', literal(...COLUMN_TYPES)],
    ['dateFormat', optional(text(200, 1))],
  ],
  columnStats: [datasetId, jobArg],
  profile: [datasetId, jobArg],
  qualityReport: [
    datasetId,
    [
      'options',
      optional(
        object({
          target: optional(nullable(columnName)),
          outlierMethod: optional(literal('iqr', 'zscore', 'mad')),
          maxCorrelationColumns: optional(whole(2, 10_000)),
          maxCorrelationRows: optional(whole(2, 1_000_000_000)),
        }),
      ),
    ],
    jobArg,
  ],
  stepCatalog: [],
  standardPreprocessing: [
    datasetId,
    [
      'options',
      optional(
        object({ target: optional(nullable(columnName)), notebook: optional(nullable(notebookSchema)) }),
      ),
    ],
    jobArg,
  ],
  runNotebook: [datasetId, ['notebook', notebookSchema], jobArg],
  exportDataset: [datasetId, ['format', literal('csv', 'arrow', 'parquet')], jobArg],
  storedDatasets: [],
  restoreDataset: [['fingerprint', text(1024, 1)], jobArg],
  deleteStored: [['fingerprint', text(1024, 1)]],
  storageEstimate: [],
  cancel: [['jobId', name]],
};

/** The value in a message: short, and never the whole of a large argument. */
export function describeArgument(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (typeof v === 'number') return Number.isNaN(v) ? 'NaN' : String(v);
  if (typeof v === 'string') return v.length > 40 ? `${JSON.stringify(v.slice(0, 40))}…` : JSON.stringify(v);
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (typeof v === 'function') return 'a function';
  if (Array.isArray(v)) return `a list of ${fmt(v.length)} item${v.length === 1 ? '' : 's'}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  if (typeof v === 'object') return 'an object';
  return typeof v;
}

/** Checks `args` against a method's signature; throws InvalidArgument naming the argument. */
export function checkArguments(method: keyof EngineApi, args: readonly unknown[]): void {
  const signature = SIGNATURES[method];
  for (let i = 0; i < signature.length; i++) {
    const [argName, s] = signature[i]!;
    try {
      s.check(args[i], argName);
    } catch (e) {
      if (!(e instanceof Mismatch)) throw e;
      const message = e.sentence
        ? `${method}: ${e.at} is not valid: ${e.sentence}`
        : `${method}: ${e.at} must be ${e.expected}, not ${describeArgument(e.value)}.`;
      throw new EngineError('InvalidArgument', message, { method, argument: e.at });
    }
  }
}

/** The engine with every EngineApi method checking its arguments before it runs (other members,
 * such as the in-process `table()`, pass through). */
export function withArgumentChecks<E extends EngineApi>(engine: E): E {
  const checked: E = { ...engine };
  for (const method of Object.keys(SIGNATURES) as (keyof EngineApi)[]) {
    const original = engine[method] as (...args: unknown[]) => Promise<unknown>;
    (checked as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      try {
        checkArguments(method, args);
      } catch (e) {
        return Promise.reject(e);
      }
      return original.apply(engine, args);
    };
  }
  return checked;
}
