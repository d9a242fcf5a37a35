/**
 * Generated messy tables (issue 14's classes of real-data trouble) for the property tests in
 * tests/corpus/messy-fuzz.test.ts: numbers with any share missing, constant and all-missing
 * columns, huge and tiny magnitudes, integers written as text, categories with 1–50 imbalanced
 * levels and a stray placeholder (".", "?", "-", "unknown", "") in one or two rows, free text and
 * identifiers, booleans, dates, and a classification or regression target with missing values.
 *
 * fast-check draws the table's shape (so a failure shrinks to few rows and columns); the values
 * come from the project's seeded RNG, so one shape and seed always give the same bytes.
 */
import fc from 'fast-check';
import { createRng, type Rng } from '../../src/core/rng';
import type { NotebookFix, StepFix, StepSuggestion } from '../../src/protocol/api';
import type { StepSpec } from '../../src/spec/notebook';

export const PLACEHOLDERS = ['.', '?', '-', 'unknown', ''] as const;

export type MessyColumn =
  | { kind: 'number'; exponent: number; integer: boolean; missing: number }
  | { kind: 'constant'; value: string; missing: number }
  | { kind: 'all-missing' }
  /** Integers with one text token among them ("N/A", "n.a."): the column reads as text. */
  | { kind: 'int-text'; junk: string; missing: number }
  | {
      kind: 'category';
      levels: number;
      /** 0: uniform; larger: the first level dominates (weights ∝ 1 / (i + 1)^skew). */
      skew: number;
      missing: number;
      placeholder: { value: (typeof PLACEHOLDERS)[number]; rows: 1 | 2 } | null;
    }
  | { kind: 'text'; id: boolean; missing: number }
  | { kind: 'boolean'; style: 'true/false' | 'yes/no'; missing: number }
  | { kind: 'date'; style: 'iso' | 'month-name'; missing: number };

export type MessyTarget =
  | {
      task: 'classification';
      classes: number;
      /** Rows of the last class when it is rarer than stratified 5-fold allows (1–4), else null. */
      rare: number | null;
      labels: 'words' | 'integers';
      missing: number;
    }
  | { task: 'regression'; exponent: number; missing: number };

export interface MessySpec {
  rows: number;
  columns: MessyColumn[];
  target: MessyTarget;
  format: 'csv' | 'ndjson';
  /** Column names with spaces and punctuation, as exported spreadsheets have them. */
  spacedNames: boolean;
  seed: number;
}

/** Shares of missing values: none, a few, about half, nearly all. */
const missingShare = fc.constantFrom(0, 0, 0.02, 0.1, 0.5, 0.97);

export const messyColumnArb: fc.Arbitrary<MessyColumn> = fc.oneof(
  fc.record({
    kind: fc.constant('number' as const),
    exponent: fc.integer({ min: -12, max: 12 }),
    integer: fc.boolean(),
    missing: missingShare,
  }),
  fc.record({
    kind: fc.constant('constant' as const),
    value: fc.constantFrom('1', 'yes', '0.5', 'A'),
    missing: fc.constantFrom(0, 0.3),
  }),
  fc.record({ kind: fc.constant('all-missing' as const) }),
  fc.record({
    kind: fc.constant('int-text' as const),
    junk: fc.constantFrom('N/A', 'n.a.', 'none', '12+'),
    missing: missingShare,
  }),
  fc.record({
    kind: fc.constant('category' as const),
    levels: fc.integer({ min: 1, max: 50 }),
    skew: fc.constantFrom(0, 1, 2, 3),
    missing: missingShare,
    placeholder: fc.option(
      fc.record({ value: fc.constantFrom(...PLACEHOLDERS), rows: fc.constantFrom(1 as const, 2 as const) }),
      { freq: 2 },
    ),
  }),
  fc.record({ kind: fc.constant('text' as const), id: fc.boolean(), missing: fc.constantFrom(0, 0.1, 0.5) }),
  fc.record({
    kind: fc.constant('boolean' as const),
    style: fc.constantFrom('true/false' as const, 'yes/no' as const),
    missing: fc.constantFrom(0, 0.1),
  }),
  fc.record({
    kind: fc.constant('date' as const),
    style: fc.constantFrom('iso' as const, 'month-name' as const),
    missing: fc.constantFrom(0, 0.1),
  }),
);

export const messyTargetArb: fc.Arbitrary<MessyTarget> = fc.oneof(
  fc.record({
    task: fc.constant('classification' as const),
    classes: fc.integer({ min: 2, max: 6 }),
    rare: fc.oneof(
      { arbitrary: fc.constant(null), weight: 4 },
      { arbitrary: fc.integer({ min: 1, max: 4 }), weight: 1 },
    ),
    labels: fc.constantFrom('words' as const, 'integers' as const),
    missing: fc.constantFrom(0, 0, 0, 1, 3),
  }),
  fc.record({
    task: fc.constant('regression' as const),
    exponent: fc.integer({ min: -6, max: 9 }),
    missing: fc.constantFrom(0, 0, 0, 1, 3),
  }),
);

export const messySpecArb: fc.Arbitrary<MessySpec> = fc.record({
  rows: fc.integer({ min: 30, max: 400 }),
  columns: fc.array(messyColumnArb, { minLength: 1, maxLength: 8 }),
  target: messyTargetArb,
  format: fc.constantFrom('csv' as const, 'csv' as const, 'ndjson' as const),
  spacedNames: fc.boolean(),
  seed: fc.nat({ max: 1_000_000 }),
});

type Cell = string | number | boolean | null;

const WORDS = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel', 'india', 'juliet'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function columnName(c: MessyColumn, i: number, spaced: boolean): string {
  return spaced ? `${c.kind} #${i} (raw)` : `c${i}_${c.kind.replace('-', '_')}`;
}

/** Row indices in a seeded order (the first k are "k random rows"). */
function shuffled(n: number, rng: Rng): number[] {
  const out = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function levelName(i: number): string {
  return i < WORDS.length ? WORDS[i]! : `${WORDS[i % WORDS.length]}-${Math.floor(i / WORDS.length)}`;
}

function weighted(weights: readonly number[], rng: Rng): number {
  const total = weights.reduce((s, w) => s + w, 0);
  let u = rng.next() * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i]!;
    if (u < 0) return i;
  }
  return weights.length - 1;
}

function columnValues(c: MessyColumn, n: number, rng: Rng): Cell[] {
  const missing = (share: number) => new Set(shuffled(n, rng).slice(0, Math.round(share * n)));
  switch (c.kind) {
    case 'all-missing':
      return new Array<Cell>(n).fill(null);
    case 'constant': {
      const gone = missing(c.missing);
      return Array.from({ length: n }, (_, i) => (gone.has(i) ? null : c.value));
    }
    case 'number': {
      const gone = missing(c.missing);
      const scale = 10 ** c.exponent;
      return Array.from({ length: n }, (_, i) => {
        if (gone.has(i)) return null;
        const v = (rng.normal() + 3) * scale;
        return c.integer ? Math.round(v) : Number(v.toPrecision(6));
      });
    }
    case 'int-text': {
      const gone = missing(c.missing);
      const junk = shuffled(n, rng)[0]!;
      return Array.from({ length: n }, (_, i) =>
        gone.has(i) ? null : i === junk ? c.junk : String(rng.int(500)),
      );
    }
    case 'category': {
      const weights = Array.from({ length: c.levels }, (_, i) => 1 / (i + 1) ** c.skew);
      const order = shuffled(n, rng);
      const stray = new Set(c.placeholder ? order.slice(0, c.placeholder.rows) : []);
      const gone = new Set(order.slice(stray.size, stray.size + Math.round(c.missing * n)));
      return Array.from({ length: n }, (_, i) => {
        if (stray.has(i)) return c.placeholder!.value;
        if (gone.has(i)) return null;
        return levelName(weighted(weights, rng));
      });
    }
    case 'text': {
      const gone = missing(c.missing);
      return Array.from({ length: n }, (_, i) => {
        if (gone.has(i)) return null;
        if (c.id) return `ID-${(i * 7919 + 13) % 100_003}`;
        const words = 3 + rng.int(6);
        return Array.from({ length: words }, () => WORDS[rng.int(WORDS.length)]).join(' ');
      });
    }
    case 'boolean': {
      const gone = missing(c.missing);
      const [yes, no] = c.style === 'yes/no' ? ['yes', 'no'] : [true, false];
      return Array.from({ length: n }, (_, i) => (gone.has(i) ? null : rng.next() < 0.6 ? yes : no));
    }
    case 'date': {
      const gone = missing(c.missing);
      return Array.from({ length: n }, (_, i) => {
        if (gone.has(i)) return null;
        const d = new Date(Date.UTC(1990 + rng.int(30), rng.int(12), 1 + rng.int(28)));
        return c.style === 'iso'
          ? d.toISOString().slice(0, 10)
          : `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${d.getUTCFullYear()}`;
      });
    }
  }
}

/** The target: each class at least 5 rows (the rare class `rare` rows), missing rows extra. */
function targetValues(t: MessyTarget, n: number, features: Cell[][], rng: Rng): Cell[] {
  const present = n - t.missing;
  let values: Cell[];
  if (t.task === 'classification') {
    const label = (c: number): Cell => (t.labels === 'words' ? `class ${WORDS[c]}` : c);
    const mins = Array.from({ length: t.classes }, (_, c) =>
      c === t.classes - 1 && t.rare !== null ? t.rare : 5,
    );
    const codes: number[] = [];
    for (const [c, m] of mins.entries()) for (let r = 0; r < m; r++) codes.push(c);
    const open = t.rare === null ? t.classes : t.classes - 1;
    const weights = Array.from({ length: open }, (_, i) => 1 / (i + 1));
    while (codes.length < present) codes.push(weighted(weights, rng));
    values = shuffled(codes.length, rng).map((i) => label(codes[i]!));
  } else {
    // Some signal from the first numeric column, so a model has something to find.
    const numeric = features.find((col) => col.some((v) => typeof v === 'number'));
    const scale = 10 ** t.exponent;
    values = Array.from({ length: present }, (_, i) => {
      const x = typeof numeric?.[i] === 'number' ? Math.sign(numeric[i] as number) : 0;
      return Number(((x + rng.normal()) * scale).toPrecision(6));
    });
  }
  for (const at of shuffled(n, rng)
    .slice(0, t.missing)
    .sort((a, b) => a - b))
    values.splice(at, 0, null);
  return values;
}

export interface MessyTable {
  names: string[];
  target: string;
  task: MessyTarget['task'];
  /** Row-major cells, target last. */
  rows: Cell[][];
  fileName: string;
  bytes: Uint8Array;
}

function csvCell(v: Cell): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) || s !== s.trim() ? `"${s.replaceAll('"', '""')}"` : s;
}

export function messyTable(spec: MessySpec): MessyTable {
  const rng = createRng(spec.seed);
  // Room for every class's minimum and the missing targets.
  const t = spec.target;
  const n = t.task === 'classification' ? Math.max(spec.rows, 5 * t.classes + t.missing) : spec.rows;
  const names = spec.columns.map((c, i) => columnName(c, i, spec.spacedNames));
  const columns = spec.columns.map((c) => columnValues(c, n, rng.fork()));
  const target = spec.spacedNames ? 'Target (y)' : 'target';
  const y = targetValues(t, n, columns, rng.fork());
  const all = [...names, target];
  const rows = Array.from({ length: n }, (_, i) => [...columns.map((col) => col[i]!), y[i]!]);
  let text: string;
  if (spec.format === 'csv') {
    text = [all.map(csvCell).join(','), ...rows.map((r) => r.map(csvCell).join(','))].join('\n');
  } else {
    text = rows.map((r) => JSON.stringify(Object.fromEntries(all.map((name, j) => [name, r[j]])))).join('\n');
  }
  return {
    names: all,
    target,
    task: spec.target.task,
    rows,
    fileName: `messy.${spec.format}`,
    bytes: new TextEncoder().encode(`${text}\n`),
  };
}

// ---------------------------------------------------------------- the fixes a user clicks

/** A suggested step as a notebook step. */
export const toStep = (s: StepSuggestion, id: string): StepSpec => ({
  id,
  step: s.step,
  params: s.params,
  enabled: true,
  ...(s.columns ? { columns: s.columns } : {}),
});

/** A step failure's one-click fix, applied as the step card's button applies it. */
export function applyFix(steps: readonly StepSpec[], fix: StepFix, id: string): StepSpec[] {
  if (fix.kind === 'set-params')
    return steps.map((s) => (s.id === fix.stepId ? { ...s, params: { ...s.params, ...fix.params } } : s));
  if (fix.kind === 'remove-step') return steps.filter((s) => s.id !== fix.stepId);
  const at = Math.max(
    0,
    steps.findIndex((s) => s.id === fix.beforeStepId),
  );
  return [...steps.slice(0, at), toStep(fix.step, id), ...steps.slice(at)];
}

/** A training error's NotebookFix (a missing target, a feature with gaps), added where it says. */
export function applyNotebookFix(steps: readonly StepSpec[], fix: NotebookFix, id: string): StepSpec[] {
  return fix.at === 'start' ? [toStep(fix, id), ...steps] : [...steps, toStep(fix, id)];
}
