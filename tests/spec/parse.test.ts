import { describe, expect, it } from 'vitest';
import { emptyNotebook, type Notebook } from '../../src/spec/notebook.ts';
import { PARSE_LIMITS, parseNotebook, parseNotebookJson } from '../../src/spec/parse.ts';
import { typicalNotebook } from './fixtures.ts';

function errorOf(input: unknown, options = {}): string {
  const result = parseNotebook(input, options);
  if (result.ok) throw new Error('expected a rejection');
  return result.error;
}

/** A valid notebook with one field changed through a path of keys. */
function withField(path: (string | number)[], value: unknown): unknown {
  const doc = JSON.parse(JSON.stringify(typicalNotebook()));
  let node = doc;
  for (const key of path.slice(0, -1)) node = node[key];
  node[path[path.length - 1]!] = value;
  return doc;
}

describe('parseNotebook: valid documents', () => {
  it('accepts the empty notebook and a typical one, unchanged in content', () => {
    expect(parseNotebook(emptyNotebook())).toEqual({ ok: true, notebook: emptyNotebook(), warnings: [] });
    const nb = typicalNotebook();
    expect(parseNotebook(nb)).toEqual({ ok: true, notebook: nb, warnings: [] });
  });

  it('returns a fresh object that shares nothing with the input', () => {
    const nb = typicalNotebook();
    const result = parseNotebook(nb);
    if (!result.ok) throw new Error(result.error);
    expect(result.notebook).not.toBe(nb);
    expect(result.notebook.steps).not.toBe(nb.steps);
    expect(result.notebook.steps[0]!.columns).not.toBe(nb.steps[0]!.columns);
    expect(result.notebook.steps[14]!.params.categories).not.toBe(nb.steps[14]!.params.categories);
    expect(result.notebook.dataset).not.toBe(nb.dataset);
  });

  it('accepts every dataset kind and objects without a prototype', () => {
    for (const dataset of [
      { kind: 'url', url: 'https://example.org/data.csv', fingerprint: 'sha256:ab12' },
      { kind: 'file', name: 'sales 2024.csv', rows: 1000, columns: 12 },
      { kind: 'synthetic', rows: 5000, seed: 3 },
    ]) {
      expect(parseNotebook(withField(['dataset'], dataset))).toMatchObject({
        ok: true,
        notebook: { dataset },
      });
    }
    const bare = Object.assign(Object.create(null), emptyNotebook());
    expect(parseNotebook(bare).ok).toBe(true);
  });

  it('keeps a script tag in a label as an inert string', () => {
    const label = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    const result = parseNotebook(withField(['steps', 0, 'label'], label));
    expect(result.ok && result.notebook.steps[0]!.label).toBe(label);
  });
});

describe('parseNotebook: messages say what is wrong and where', () => {
  it.each<[string, (string | number)[], unknown, string]>([
    [
      'object param',
      ['steps', 3, 'params', 'alpha'],
      { a: 1 },
      'steps[3].params.alpha must be a string, a number, true or false, null or a list, not an object.',
    ],
    [
      'missing field',
      ['steps', 2, 'enabled'],
      undefined,
      'steps[2] is missing the required field "enabled".',
    ],
    ['unknown field', ['steps', 1, 'script'], 'x', 'steps[1] has an unknown field "script".'],
    [
      'bad id',
      ['steps', 0, 'id'],
      'a b',
      `steps[0].id must be 1 to 32 letters, digits, '_' or '-'; "a b" does not.`,
    ],
    [
      'long label',
      ['steps', 5, 'label'],
      'x'.repeat(201),
      'steps[5].label must be at most 200 characters long (it has 201).',
    ],
    [
      'bidi label',
      ['title'],
      'evil\u202Egnp.exe',
      'title must not contain control or text-direction characters; "evil\u202Egnp.exe" does not.',
    ],
    ['fractional seed', ['seed'], 1.5, 'seed must be a whole number, not 1.5.'],
    [
      'unknown kind',
      ['dataset', 'kind'],
      'ftp',
      'dataset.kind must be "sample", "url", "file" or "synthetic", not the string "ftp".',
    ],
    [
      'script url',
      ['dataset'],
      { kind: 'url', url: 'javascript:alert(1)' },
      `dataset.url must be an http:// or https:// address without spaces; "javascript:alert(1)" does not.`,
    ],
    [
      'bad param name',
      ['steps', 4, 'params', 'a-b'],
      1,
      `steps[4].params has the key "a-b"; keys must be up to 64 letters, digits or '_', not starting with a digit.`,
    ],
    ['empty column', ['target'], '', 'target must not be empty.'],
    ['wrong version type', ['version'], '1', 'The notebook\'s "version" must be a whole number.'],
  ])('%s', (_, path, value, message) => {
    const doc = withField(path, value) as Record<string, unknown>;
    if (value === undefined) {
      let node = doc as Record<string | number, unknown>;
      for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
      delete node[path[path.length - 1]!];
    }
    expect(errorOf(doc)).toBe(message);
  });

  it('rejects too many steps', () => {
    const nb = typicalNotebook();
    const steps = Array.from({ length: 201 }, (_, i) => ({ ...nb.steps[0]!, id: `s${i}` }));
    expect(errorOf({ ...nb, steps })).toBe('steps must have at most 200 items (it has 201).');
  });

  it('rejects duplicate step ids, naming both', () => {
    expect(errorOf(withField(['steps', 7, 'id'], 's2'))).toBe(
      'steps[7].id "s2" is also used by steps[1]; step ids must be unique.',
    );
  });

  it('rejects unknown steps only when the known steps are given', () => {
    const doc = withField(['steps', 2, 'step'], 'MagicCleaner');
    expect(parseNotebook(doc).ok).toBe(true);
    const known = new Set(typicalNotebook().steps.map((s) => s.step));
    expect(parseNotebook(typicalNotebook(), { knownSteps: known }).ok).toBe(true);
    expect(errorOf(doc, { knownSteps: known })).toBe(
      'steps[2].step "MagicCleaner" is not a step this version of Benchtop knows.',
    );
  });
});

describe('parseNotebook: hostile input', () => {
  it.each(['__proto__', 'constructor', 'prototype'])(
    'rejects the key %s anywhere, leaving Object.prototype clean',
    (key) => {
      const head = '"version":1,"seed":0,"target":null';
      const bad = `"${key}":{"polluted":true}`;
      const cases: [string, string][] = [
        [`{${head},"dataset":null,"steps":[],${bad}}`, 'The notebook'],
        [`{${head},"dataset":null,"steps":[{"id":"a",${bad}}]}`, 'steps[0]'],
        [`{${head},"dataset":{"kind":"sample","sample":"iris",${bad}},"steps":[]}`, 'dataset'],
      ];
      for (const [json, where] of cases) {
        expect(parseNotebookJson(json)).toEqual({
          ok: false,
          error: `${where} has the forbidden key "${key}".`,
        });
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
    },
  );

  it('rejects __proto__ in step params, where the schema alone would allow a key', () => {
    const json =
      '{"version":1,"seed":0,"dataset":null,"target":null,"steps":[{"id":"a","step":"X","enabled":true,"params":{"__proto__":{"isAdmin":true}}}]}';
    expect(parseNotebookJson(json)).toEqual({
      ok: false,
      error: 'steps[0].params has the forbidden key "__proto__".',
    });
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  it('rejects non-finite numbers, including 1e999 in JSON text', () => {
    expect(parseNotebookJson('{"version":1,"seed":1e999,"dataset":null,"target":null,"steps":[]}')).toEqual({
      ok: false,
      error: 'seed must be a finite number, not Infinity.',
    });
    expect(errorOf(withField(['steps', 0, 'params', 'x'], Number.NaN))).toBe(
      'steps[0].params.x must be a finite number, not NaN.',
    );
    expect(errorOf(withField(['steps', 0, 'params', 'x'], [1, -Infinity]))).toBe(
      'steps[0].params.x[1] must be a finite number, not -Infinity.',
    );
  });

  it('rejects deep nesting before walking it', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(errorOf(withField(['steps', 0, 'params', 'x'], deep))).toMatch(
      /^steps\[0\]\.params\.x(\[0\])+ is nested too deeply \(more than 16 levels\)\.$/,
    );
    const text = `{"version":1,"seed":0,"dataset":null,"target":null,"steps":[],"x":${'['.repeat(50_000)}${']'.repeat(50_000)}}`;
    expect(parseNotebookJson(text).ok).toBe(false);
  });

  it('rejects absurd sizes: huge strings, huge lists, huge text', () => {
    expect(errorOf(withField(['title'], 'x'.repeat(10_000_000)))).toBe(
      'title is too long (10000000 characters).',
    );
    expect(errorOf(withField(['steps', 0, 'params', 'x'], new Array(300_000).fill(0)))).toBe(
      `The notebook is too large (more than ${PARSE_LIMITS.maxValues} values).`,
    );
    expect(parseNotebookJson(' '.repeat(PARSE_LIMITS.maxJsonChars + 1))).toEqual({
      ok: false,
      error: `The notebook is too large (${PARSE_LIMITS.maxJsonChars + 1} characters; at most ${PARSE_LIMITS.maxJsonChars}).`,
    });
  });

  it('rejects what JSON cannot carry: functions, dates, getters, cycles, undefined', () => {
    expect(errorOf(withField(['steps', 0, 'params', 'x'], () => 1))).toBe(
      'steps[0].params.x must be JSON data, not function.',
    );
    expect(errorOf(withField(['title'], new Date(0)))).toBe(
      'title must be plain JSON data, not a class instance.',
    );
    expect(errorOf(withField(['steps', 0, 'params', 'x'], [undefined]))).toBe(
      'steps[0].params.x[0] must be JSON data, not undefined.',
    );
    let reads = 0;
    const getter = Object.defineProperty({}, 'x', { enumerable: true, get: () => ++reads });
    expect(errorOf(withField(['steps', 0, 'params'], getter))).toBe(
      'steps[0].params.x must be a plain value, not a getter.',
    );
    expect(reads).toBe(0);
    const cyclic: Record<string, unknown> = { ...typicalNotebook() };
    cyclic.title = cyclic;
    expect(errorOf(cyclic)).toMatch(/nested too deeply/);
  });

  it('rejects non-objects and invalid JSON text with a sentence', () => {
    expect(errorOf('{"version":1}')).toBe('The notebook must be a JSON object.');
    expect(errorOf(null)).toBe('The notebook must be a JSON object.');
    expect(parseNotebookJson('{"version":1,')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^The notebook is not valid JSON/),
    });
  });

  it('rejects newer versions as made by a newer Benchtop', () => {
    const newer = { ...typicalNotebook(), version: 2 } as unknown as Notebook;
    expect(errorOf(newer)).toMatch(/^This notebook was made by a newer Benchtop/);
  });
});
