/**
 * A step's or a model's parameter schema as plain data, and the one check of a value against it.
 * The schemas themselves belong to the pipeline and model registries (above this layer); they reach
 * the link decoder as data (ParseOptions.paramSchemas: the engine passes its registries, the UI the
 * step catalogue it received), and pipeline/step.ts validates parameters with the same function,
 * so a link and a run accept exactly the same values.
 */

export type ParamSchema =
  | { type: 'number' | 'integer'; default: number | null; min?: number; max?: number; description: string }
  | { type: 'boolean'; default: boolean; description: string }
  /** `default: null` makes null a valid choice too (sklearn's `drop=None`). */
  | { type: 'enum'; options: readonly string[]; default: string | null; description: string }
  | { type: 'string'; default: string; maxLength?: number; description: string }
  | { type: 'columns'; default: string[] | null; description: string }
  /** Two numbers lo < hi, like sklearn's `feature_range=(0, 1)` or `quantile_range=(25.0, 75.0)`. */
  | { type: 'range'; default: readonly [number, number]; min?: number; max?: number; description: string };

/** A registry's parameter schemas by parameter name. */
export type ParamSchemas = Readonly<Record<string, ParamSchema>>;

function numberProblem(def: { min?: number; max?: number }, v: number): string | null {
  if (!Number.isFinite(v)) return `must be a finite number, got ${v}.`;
  if (def.min !== undefined && v < def.min) return `must be at least ${def.min}, got ${v}.`;
  if (def.max !== undefined && v > def.max) return `must be at most ${def.max}, got ${v}.`;
  return null;
}

/** Why `v` is not a valid value for `def` (a predicate: "must be at least 0, got -1."), or null. */
export function paramProblem(def: ParamSchema, v: unknown): string | null {
  switch (def.type) {
    case 'number':
    case 'integer':
      if (v === null) return def.default === null ? null : 'must be a number, got null.';
      if (typeof v !== 'number') return `must be a number, got ${JSON.stringify(v)}.`;
      return (
        numberProblem(def, v) ??
        (def.type === 'integer' && !Number.isInteger(v) ? `must be a whole number, got ${v}.` : null)
      );
    case 'boolean':
      return typeof v === 'boolean' ? null : `must be true or false, got ${JSON.stringify(v)}.`;
    case 'enum':
      if (v === null && def.default === null) return null;
      if (typeof v !== 'string' || !def.options.includes(v)) {
        const choices =
          def.options.map((o) => `"${o}"`).join(', ') + (def.default === null ? ' or null' : '');
        return `must be one of ${choices}, got ${JSON.stringify(v)}.`;
      }
      return null;
    case 'string':
      if (typeof v !== 'string') return `must be text, got ${JSON.stringify(v)}.`;
      if (def.maxLength !== undefined && v.length > def.maxLength) {
        return `must be at most ${def.maxLength} characters long.`;
      }
      return null;
    case 'columns':
      if (v === null) return null;
      if (!Array.isArray(v) || !v.every((c) => typeof c === 'string')) {
        return `must be a list of column names or null, got ${JSON.stringify(v)}.`;
      }
      return new Set(v).size !== v.length ? 'lists a column twice.' : null;
    case 'range': {
      if (!Array.isArray(v) || v.length !== 2 || !v.every((x) => typeof x === 'number')) {
        return `must be two numbers [low, high], got ${JSON.stringify(v)}.`;
      }
      const [lo, hi] = v as [number, number];
      return (
        numberProblem(def, lo) ??
        numberProblem(def, hi) ??
        (lo < hi ? null : `must have low < high, got [${lo}, ${hi}].`)
      );
    }
  }
}

/** The first unknown or invalid parameter of `params`: its name and what is wrong, or null. */
export function paramsProblem(
  schemas: ParamSchemas,
  params: Readonly<Record<string, unknown>>,
): { key: string; problem: string } | null {
  for (const key of Object.keys(params)) {
    if (!Object.hasOwn(schemas, key)) {
      const known = Object.keys(schemas).join(', ') || 'none';
      return { key, problem: `is not a parameter here (parameters: ${known}).` };
    }
    const problem = paramProblem(schemas[key]!, params[key]);
    if (problem) return { key, problem };
  }
  return null;
}
