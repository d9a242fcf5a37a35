/**
 * Issue 15: the link decoder on hostile input, seeded property-based (fast-check, shrinking).
 * Random strings and mutated valid links must give a result — never an exception, never a hang —
 * and a valid v2 link with characters changed, inserted, removed or appended must be refused (or,
 * when the change undid itself, give back the very same notebook), never open another notebook.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/spec/canonical.ts';
import { decodeNotebookLink, encodeNotebookLink } from '../../src/spec/link.ts';
import { emptyNotebook, type Notebook } from '../../src/spec/notebook.ts';
import { parseNotebook } from '../../src/spec/parse.ts';
import { typicalNotebook } from './fixtures.ts';

const SEED = 15;
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
/** Per decode; far above the few milliseconds a link takes, far below a hang. */
const DECODE_MS = 2000;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

async function decodeWithin(link: string) {
  const started = performance.now();
  const result = await decodeNotebookLink(link);
  const ms = performance.now() - started;
  if (ms > DECODE_MS) throw new Error(`decoding took ${ms.toFixed(0)} ms: ${link.slice(0, 80)}`);
  if (!result.ok) expect(result.error).toMatch(/^\S.{10,}[.)]$/s);
  return result;
}

const notebooks: Notebook[] = [
  typicalNotebook(),
  emptyNotebook(),
  { ...emptyNotebook(), seed: 7, dataset: { kind: 'synthetic', rows: 1000, seed: 3 }, target: 'y' },
  {
    ...typicalNotebook(),
    columnTypes: { Pclass: { type: 'categorical' }, Date: { type: 'date', dateFormat: '%d/%m/%Y' } },
  },
];

type Edit =
  | { kind: 'replace'; at: number; char: number }
  | { kind: 'insert'; at: number; char: number }
  | { kind: 'delete'; at: number }
  | { kind: 'append'; text: string }
  | { kind: 'truncate'; keep: number };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), char: fc.nat(63) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), char: fc.nat(63) }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({
    kind: fc.constant('append' as const),
    text: fc.string({ unit: fc.constantFrom(...ALPHABET), minLength: 1, maxLength: 8 }),
  }),
  fc.record({ kind: fc.constant('truncate' as const), keep: fc.nat() }),
);

function applyEdits(payload: string, edits: readonly Edit[]): string {
  let p = payload;
  for (const e of edits) {
    const at = 'at' in e ? e.at % (p.length + 1) : 0;
    if (e.kind === 'replace' && p.length > 0) {
      const i = at % p.length;
      p = p.slice(0, i) + ALPHABET[e.char] + p.slice(i + 1);
    } else if (e.kind === 'insert') p = p.slice(0, at) + ALPHABET[e.char] + p.slice(at);
    else if (e.kind === 'delete') p = p.slice(0, at) + p.slice(at + 1);
    else if (e.kind === 'append') p += e.text;
    else if (e.kind === 'truncate') p = p.slice(0, e.keep % (p.length + 1));
  }
  return p;
}

describe('link decoder fuzz', () => {
  it('mutated v2 links: refused, or the same notebook when the edits cancel out', async () => {
    const links = await Promise.all(notebooks.map((nb) => encodeNotebookLink(nb)));
    await fc.assert(
      fc.asyncProperty(
        fc.nat(notebooks.length - 1),
        fc.array(edit, { minLength: 1, maxLength: 4 }),
        async (which, edits) => {
          const payload = links[which]!.slice('#nb=v2.'.length);
          const changed = applyEdits(payload, edits);
          const result = await decodeWithin(`#nb=v2.${changed}`);
          if (result.ok) {
            expect(changed).toBe(payload);
            expect(canonicalJson(result.notebook)).toBe(canonicalJson(notebooks[which]));
          }
        },
      ),
      { seed: SEED, numRuns: RUNS },
    );
  }, 120_000);

  it('random text, fragments and base64 payloads under every version prefix', async () => {
    const prefix = fc.constantFrom(
      '',
      '#',
      '#nb=',
      '#nb=v1.',
      '#nb=v2.',
      '#nb=v3.',
      'nb=v2.',
      'https://x.example/#a=1&nb=v2.',
    );
    const body = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ unit: fc.constantFrom(...ALPHABET), maxLength: 400 }),
      fc.string({ unit: 'binary', maxLength: 50 }),
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('base64url')),
    );
    await fc.assert(
      fc.asyncProperty(prefix, body, async (p, b) => {
        await decodeWithin(p + b);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  }, 120_000);

  it('hostile column types: refused with a sentence, or a notebook that survives its own link', async () => {
    const type = fc.oneof(
      fc.constantFrom('integer', 'float', 'boolean', 'date', 'datetime', 'categorical', 'text'),
      fc.string({ maxLength: 12 }),
      fc.constantFrom(null, 3, '__proto__', 'Date'),
    );
    const format = fc.oneof(
      fc.constantFrom('%Y-%m-%d', '%d/%m/%Y %H:%M', 'ISO8601', '%b %d %Y', '%Q', '%', '%Y年%m', ''),
      fc.string({ maxLength: 80 }),
    );
    const choice = fc.oneof(
      fc.record({ type }, { requiredKeys: ['type'] }),
      fc.record({ type, dateFormat: format }, { requiredKeys: [] }),
      fc.record({ type, dateFormat: format, extra: fc.string() }),
      fc.constantFrom(null, 'date', [], 1),
    );
    const map = fc.dictionary(fc.string({ maxLength: 300 }), choice, { maxKeys: 6 });
    await fc.assert(
      fc.asyncProperty(map, async (columnTypes) => {
        const result = parseNotebook({ ...emptyNotebook(), columnTypes });
        if (!result.ok) {
          expect(result.error).toMatch(/^\S.{10,}[.)]$/s);
          return;
        }
        const reopened = await decodeWithin(await encodeNotebookLink(result.notebook));
        expect(reopened.ok && canonicalJson(reopened.notebook)).toBe(canonicalJson(result.notebook));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  }, 120_000);
});
