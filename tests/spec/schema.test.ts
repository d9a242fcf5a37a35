import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateNotebookSchema, SCHEMA_PATH } from '../../scripts/gen-schema.ts';
import { LIMITS } from '../../src/core/limits.ts';
import schema from '../../src/spec/schema.json';
import { createValidator, type JsonSchema, unsupportedKeywords } from '../../src/spec/validate.ts';

describe('schema.json', () => {
  it('equals a schema freshly generated from src/spec/notebook.ts (run `npm run schema` if not)', () => {
    const committed: unknown = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8'));
    expect(committed).toEqual(generateNotebookSchema());
  }, 60_000);

  it('uses only keywords the hand-written validator enforces', () => {
    expect(unsupportedKeywords(schema as JsonSchema)).toEqual([]);
  });

  it('carries the constraints the types cannot express', () => {
    const defs = (schema as JsonSchema).definitions!;
    expect(defs.Notebook?.properties?.steps?.maxItems).toBe(200);
    expect(defs.StepId?.pattern).toBeDefined();
    expect(defs.DisplayText?.maxLength).toBe(200);
    expect(defs.Seed?.type).toBe('integer');
    expect(defs.StepSpec?.additionalProperties).toBe(false);
  });

  it('allows as many synthetic rows as the generator and the engine (one limit: src/core/limits.ts)', () => {
    const defs = (schema as JsonSchema).definitions!;
    expect(defs.SyntheticDatasetRef?.properties?.rows?.maximum).toBe(LIMITS.syntheticRows);
  });
});

describe('createValidator', () => {
  it('refuses a schema with keywords it would silently ignore', () => {
    expect(() => createValidator({ type: 'object', oneOf: [] } as JsonSchema)).toThrow(/oneOf/);
  });

  it('counts string length in code points, as JSON Schema does', () => {
    const check = createValidator({ type: 'string', maxLength: 2 });
    expect(check('😀😀')).toBeNull();
    expect(check('😀😀😀')).toMatch(/at most 2 characters/);
  });
});
