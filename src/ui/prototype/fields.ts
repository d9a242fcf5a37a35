/**
 * The what-if form's pure parts: which control a contract feature gets, slider steps, reading a
 * number box, and drift flags in words. Kept apart from the components so they are tested alone.
 */
import type { CellValue, Drift, FeatureContract } from '../../protocol/api';

export type FieldKind = 'slider' | 'number' | 'select' | 'checkbox' | 'date' | 'text';

export function fieldKind(f: FeatureContract): FieldKind {
  switch (f.type) {
    case 'integer':
    case 'float':
      return f.min !== undefined && f.max !== undefined && f.max > f.min ? 'slider' : 'number';
    case 'boolean':
      return 'checkbox';
    case 'date':
      return 'date';
    case 'categorical':
      return f.categories && f.categories.length > 0 ? 'select' : 'text';
    default:
      return f.categories && f.categories.length > 0 && f.categories.length <= 200 ? 'select' : 'text';
  }
}

/** A round slider step giving about 200 positions over the observed range (1 for integers). */
export function sliderStep(f: FeatureContract): number {
  if (f.type === 'integer') return 1;
  const span = (f.max ?? 1) - (f.min ?? 0);
  if (!(span > 0)) return 0.01;
  return 10 ** Math.floor(Math.log10(span / 200));
}

/**
 * What a number box's text means: a number, null when empty (missing), or the text itself when it
 * does not parse — sent as is, so the runtime reports it the way a deployment would.
 */
export function parseNumberText(text: string, integer: boolean): { value: CellValue; error: string | null } {
  const t = text.trim();
  if (t === '') return { value: null, error: null };
  const x = Number(t.replace(/,/g, ''));
  if (!Number.isFinite(x)) return { value: text, error: 'not a number' };
  if (integer && !Number.isInteger(x)) return { value: x, error: 'not a whole number' };
  return { value: x, error: null };
}

/** Shows a value in a number box: short but exact enough to read back the same number. */
export function numberText(v: CellValue): string {
  if (v === null) return '';
  if (typeof v !== 'number') return String(v);
  return String(Number(v.toPrecision(10)));
}

/** A value for display ("4.35", "north meadow", "true", "missing"). */
export function valueText(v: CellValue | undefined): string {
  if (v === null || v === undefined || v === '') return 'missing';
  if (typeof v === 'number') return String(Number(v.toPrecision(6)));
  return String(v);
}

/** The runtime's drift flag on one field, in words. */
export function driftText(d: Drift, f: FeatureContract | undefined): string {
  switch (d.issue) {
    case 'out-of-range':
      return f?.min !== undefined && f.max !== undefined
        ? `outside the training range ${valueText(f.min)}–${valueText(f.max)}`
        : 'outside the training range';
    case 'unseen-category':
      return 'a category the model never saw in training';
    case 'missing':
      return 'missing: the model cannot score a row without it';
    case 'wrong-type':
      return `not a valid ${f?.type === 'integer' ? 'whole number' : (f?.type ?? 'value')}: counted as missing`;
    default:
      return String(d.issue);
  }
}

/** Same value as the original row (numbers compared exactly, others as text). */
export function sameCell(a: CellValue | undefined, b: CellValue | undefined): boolean {
  if (a === b) return true;
  if (a === null || a === undefined || b === null || b === undefined) return false;
  return String(a) === String(b);
}
