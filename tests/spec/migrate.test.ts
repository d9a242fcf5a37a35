import { describe, expect, it } from 'vitest';
import {
  type JsonObject,
  MIGRATIONS,
  type Migration,
  MigrationError,
  migrate,
} from '../../src/spec/migrate.ts';
import { parseNotebook } from '../../src/spec/parse.ts';

/** A pre-release shape: steps had no `enabled` flag and the seed was called `randomState`. */
const v0ToV1: Migration = {
  from: 0,
  note: 'steps gained an on/off switch; all steps are on.',
  up: (doc: JsonObject): JsonObject => {
    const { randomState, steps, ...rest } = doc;
    return {
      ...rest,
      version: 1,
      seed: randomState,
      steps: (steps as JsonObject[]).map((s) => ({ ...s, enabled: true })),
    };
  },
};

const v0 = {
  version: 0,
  randomState: 7,
  dataset: { kind: 'sample', sample: 'iris' },
  target: 'species',
  steps: [{ id: 'a', step: 'StandardScaler', params: {} }],
};

describe('migrate', () => {
  it('leaves a current document as it is, with no notes', () => {
    const doc = { version: 1, seed: 0, dataset: null, target: null, steps: [] };
    expect(migrate(doc)).toEqual({ doc, notes: [] });
  });

  it('upgrades through the chain and says what changed', () => {
    const { doc, notes } = migrate(v0, [v0ToV1]);
    expect(doc).toEqual({
      version: 1,
      seed: 7,
      dataset: { kind: 'sample', sample: 'iris' },
      target: 'species',
      steps: [{ id: 'a', step: 'StandardScaler', params: {}, enabled: true }],
    });
    expect(notes).toEqual([
      'Upgraded from notebook version 0 to 1: steps gained an on/off switch; all steps are on.',
    ]);
  });

  it('applies several migrations in version order, whatever order they are listed in', () => {
    const bump = (from: number): Migration => ({
      from,
      note: `n${from}`,
      up: (d) => ({ ...d, version: from + 1, trail: [...((d.trail as number[]) ?? []), from] }),
    });
    const { doc, notes } = migrate({ version: 1 }, [bump(3), bump(1), bump(2)], 4);
    expect(doc).toEqual({ version: 4, trail: [1, 2, 3] });
    expect(notes).toHaveLength(3);
  });

  it('rejects a newer document with a message naming both versions', () => {
    expect(() => migrate({ version: 2 })).toThrow(MigrationError);
    expect(() => migrate({ version: 2 })).toThrow(
      /newer Benchtop \(notebook version 2; this one reads up to version 1\)/,
    );
  });

  it('rejects an older version that no migration covers', () => {
    expect(MIGRATIONS).toEqual([]);
    expect(() => migrate({ version: 0 })).toThrow(/version 0, which is older than any version/);
  });

  it('rejects documents without a whole-number version', () => {
    expect(() => migrate({})).toThrow(/no "version" field/);
    expect(() => migrate({ version: '1' })).toThrow(/must be a whole number/);
    expect(() => migrate({ version: 1.5 })).toThrow(/must be a whole number/);
    expect(() => migrate([1])).toThrow(/must be a JSON object/);
  });

  it('treats a migration that skips a version as a bug', () => {
    const broken: Migration = { from: 0, note: '', up: (d) => ({ ...d, version: 2 }) };
    expect(() => migrate({ version: 0 }, [broken], 2)).toThrow('Migration from v0 produced v2');
  });

  it('feeds parseNotebook, which reports the upgrade as a warning and validates the result', () => {
    const result = parseNotebook(v0, { migrations: [v0ToV1] });
    expect(result).toMatchObject({ ok: true, notebook: { seed: 7, steps: [{ enabled: true }] } });
    expect(result.ok && result.warnings).toEqual([
      expect.stringMatching(/^Upgraded from notebook version 0 to 1/),
    ]);
    expect(v0.steps[0]).not.toHaveProperty('enabled');
    const invalid = parseNotebook({ ...v0, randomState: -1 }, { migrations: [v0ToV1] });
    expect(invalid).toEqual({ ok: false, error: 'seed must be at least 0, not -1.' });
  });

  it('is what parseNotebook uses for old and new versions', () => {
    expect(parseNotebook(v0)).toEqual({
      ok: false,
      error: expect.stringMatching(/version 0, which is older/),
    });
    expect(parseNotebook({ ...v0, version: 9 })).toEqual({
      ok: false,
      error: expect.stringMatching(/newer Benchtop/),
    });
  });
});
