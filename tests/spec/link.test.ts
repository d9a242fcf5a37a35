import { deflateRawSync, inflateRawSync, crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/spec/canonical.ts';
import {
  decodeNotebookLink,
  encodeNotebookLink,
  fragmentHasNotebook,
  fromBase64Url,
  MAX_INFLATED_BYTES,
  MAX_LINK_CHARS,
  toBase64Url,
} from '../../src/spec/link.ts';
import { emptyNotebook, type Notebook } from '../../src/spec/notebook.ts';
import type { ParamSchemas } from '../../src/spec/params.ts';
import { typicalNotebook } from './fixtures.ts';

/** A link built with Node's zlib and Buffer, independent of the code under test. */
function craftLink(json: string | Buffer): string {
  return `#nb=v1.${deflateRawSync(json).toString('base64url')}`;
}

async function errorOf(link: string, options = {}): Promise<string> {
  const result = await decodeNotebookLink(link, options);
  if (result.ok) throw new Error('expected a rejection');
  return result.error;
}

describe('share links: round trip', () => {
  it('decodes to an equal notebook, from a fragment, a whole URL or the bare parameter', async () => {
    const nb = typicalNotebook();
    const link = await encodeNotebookLink(nb);
    expect(link).toMatch(/^#nb=v2\.[A-Za-z0-9_-]+$/);
    for (const form of [
      link,
      `https://benchtop.example/app/?x=1${link}`,
      link.slice(1),
      `#tab=train&${link.slice(1)}`,
    ]) {
      expect(await decodeNotebookLink(form)).toEqual({ ok: true, notebook: nb, warnings: [] });
    }
    expect(await decodeNotebookLink(await encodeNotebookLink(emptyNotebook()))).toEqual({
      ok: true,
      notebook: emptyNotebook(),
      warnings: [],
    });
  });

  it('is stable: the same notebook gives the same link whatever its key order', async () => {
    const nb = typicalNotebook();
    const reordered = JSON.parse(
      JSON.stringify(nb, (_, v) =>
        v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
      ),
    ) as Notebook;
    expect(Object.keys(reordered)).not.toEqual(Object.keys(nb));
    const link = await encodeNotebookLink(nb);
    expect(await encodeNotebookLink(reordered)).toBe(link);
    expect(await encodeNotebookLink(typicalNotebook())).toBe(link);
    expect(await encodeNotebookLink({ ...nb, seed: 43 })).not.toBe(link);
  });

  it('keeps a notebook of 20 typical steps under 2 KB', async () => {
    const nb = typicalNotebook();
    expect(nb.steps).toHaveLength(20);
    const link = await encodeNotebookLink(nb);
    expect(link.length).toBeLessThan(2048);
  });

  it('is plain deflate-raw + CRC-32 + base64url of canonical JSON, readable by standard tools', async () => {
    const link = await encodeNotebookLink(typicalNotebook());
    const bytes = Buffer.from(link.slice('#nb=v2.'.length), 'base64url');
    const deflated = bytes.subarray(0, bytes.length - 4);
    expect(bytes.readUInt32BE(bytes.length - 4)).toBe(zlibCrc32(deflated));
    const text = inflateRawSync(deflated).toString('utf8');
    expect(text).toBe(canonicalJson(typicalNotebook()));
    expect(text.startsWith('{"dataset":{"fingerprint":')).toBe(true);
    expect((await decodeNotebookLink(craftLink(JSON.stringify(typicalNotebook())))).ok).toBe(true);
  });

  it('refuses to encode an invalid notebook', async () => {
    const bad = { ...typicalNotebook(), seed: -1 };
    await expect(encodeNotebookLink(bad)).rejects.toThrow(
      'Cannot make a link: seed must be at least 0, not -1.',
    );
  });

  it('base64url matches Node for every length', () => {
    for (let n = 0; n < 70; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 151 + n * 7) & 0xff);
      const expected = Buffer.from(bytes).toString('base64url');
      expect(toBase64Url(bytes)).toBe(expected);
      expect([...fromBase64Url(expected)]).toEqual([...bytes]);
    }
  });
});

describe('fragmentHasNotebook', () => {
  it('finds the nb parameter, valid or not, and nothing else', () => {
    expect(fragmentHasNotebook('#nb=v1.abc')).toBe(true);
    expect(fragmentHasNotebook('https://x.example/#a=1&nb=garbage')).toBe(true);
    expect(fragmentHasNotebook('')).toBe(false);
    expect(fragmentHasNotebook('#')).toBe(false);
    expect(fragmentHasNotebook('#tab=data')).toBe(false);
    expect(fragmentHasNotebook('#xnb=v1.abc')).toBe(false);
  });
});

describe('share links: malformed and hostile links', () => {
  it('says when there is no notebook, or the prefix or link version is wrong', async () => {
    expect(await errorOf('https://benchtop.example/app/')).toBe(
      'The link has no notebook in it (nothing after "#nb=").',
    );
    expect(await errorOf('#nb=x1.abcd')).toBe(
      'The link\'s notebook must start with "v2."; this one does not.',
    );
    expect(await errorOf('#nb=abcd')).toBe('The link\'s notebook must start with "v2."; this one does not.');
    expect(await errorOf('#nb=v3.abcd')).toBe(
      'The link uses format v3, made by a newer Benchtop; reload the page to update, then open it again.',
    );
    expect(await errorOf('#nb=v0.abcd')).toBe('The link uses format v0, which this Benchtop cannot read.');
    expect(await errorOf('#nb=v1.')).toBe(
      'The link is empty after "v1.": it was probably cut off when copied.',
    );
  });

  it('names a character that cannot occur in base64url', async () => {
    expect(await errorOf('#nb=v1.abc+def')).toBe(
      'The link contains "+" at position 4, which cannot occur in a notebook link.',
    );
    expect(await errorOf('#nb=v1.ab<script>')).toBe(
      'The link contains "<" at position 3, which cannot occur in a notebook link.',
    );
    expect(await errorOf('#nb=v1.abc%20d')).toMatch(/contains "%" at position 4/);
  });

  it('reports truncated links as damaged', async () => {
    const link = await encodeNotebookLink(typicalNotebook());
    const payload = link.slice('#nb=v1.'.length);
    const cut = payload.slice(0, Math.floor(payload.length / 2));
    const impossible = cut.length % 4 === 1 ? cut : cut.slice(0, cut.length - (((cut.length % 4) + 3) % 4));
    expect(impossible.length % 4).toBe(1);
    expect(await errorOf(`#nb=v1.${impossible}`)).toBe(
      'The link is damaged: it was probably cut off when copied.',
    );
    const shorter = cut.length % 4 === 1 ? cut.slice(0, -1) : cut;
    expect(await errorOf(`#nb=v1.${shorter}`)).toBe(
      'The link is damaged: its compressed data is incomplete or corrupt (was it cut off when copied?).',
    );
    expect(await errorOf('#nb=v1.AAAAAAAA')).toMatch(/^The link is damaged: its compressed data/);
  });

  it('rejects a 10 MB link without decoding it', async () => {
    const started = performance.now();
    const huge = `#nb=v1.${'A'.repeat(10 * 1024 * 1024)}`;
    expect(await errorOf(huge)).toBe(
      `The link is too long (${huge.length} characters); notebook links are at most ${MAX_LINK_CHARS}.`,
    );
    expect(await errorOf(`#nb=v1.${'A'.repeat(MAX_LINK_CHARS)}`)).toMatch(/^The link is too long/);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('stops inflating a deflate bomb at the limit', async () => {
    const bomb = craftLink(
      Buffer.concat([Buffer.from('{"version":1,"title":"'), Buffer.alloc(40 * 1024 * 1024, 0x61)]),
    );
    expect(bomb.length).toBeLessThan(MAX_LINK_CHARS);
    const before = process.memoryUsage().arrayBuffers;
    expect(await errorOf(bomb)).toBe(
      `The link expands to more than ${MAX_INFLATED_BYTES / 1024} KB, far more than any notebook; it was refused.`,
    );
    // The 40 MB were never materialized.
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(16 * 1024 * 1024);
  });

  it('rejects content that is not UTF-8 text or not JSON', async () => {
    expect(await errorOf(craftLink(Buffer.from([0xff, 0xfe, 0x7b])))).toBe(
      'The link does not contain text (invalid UTF-8).',
    );
    expect(await errorOf(craftLink('{"version":1,'))).toMatch(/^The notebook is not valid JSON/);
    expect(await errorOf(craftLink('"just a string"'))).toBe('The notebook must be a JSON object.');
  });

  it('rejects Infinity smuggled in as 1e999', async () => {
    expect(
      await errorOf(
        craftLink(
          '{"version":1,"seed":0,"dataset":null,"target":null,"steps":[{"id":"a","step":"Ridge","enabled":true,"params":{"alpha":1e999}}]}',
        ),
      ),
    ).toBe('steps[0].params.alpha must be a finite number, not Infinity.');
  });

  it('rejects prototype-pollution keys and leaves Object.prototype untouched', async () => {
    const json =
      '{"version":1,"seed":0,"dataset":null,"target":null,"steps":[{"id":"a","step":"X","enabled":true,"params":{"__proto__":{"polluted":1}}}],"constructor":{"prototype":{"polluted":1}}}';
    expect(await errorOf(craftLink(json))).toBe('steps[0].params has the forbidden key "__proto__".');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('carries a script in a label only as an inert, length-capped string', async () => {
    const nb = typicalNotebook();
    nb.steps[0]!.label = '<img src=x onerror="alert(document.cookie)">';
    const result = await decodeNotebookLink(await encodeNotebookLink(nb));
    expect(result.ok && result.notebook.steps[0]!.label).toBe(nb.steps[0]!.label);
    const long = JSON.stringify({
      ...nb,
      steps: [{ ...nb.steps[0], label: `<script>${'x'.repeat(500)}</script>` }],
    });
    expect(await errorOf(craftLink(long))).toBe(
      'steps[0].label must be at most 200 characters long (it has 517).',
    );
  });

  it('rejects unknown steps when the known steps are given', async () => {
    const link = await encodeNotebookLink(typicalNotebook());
    const known = new Set(['StandardScaler']);
    expect(await errorOf(link, { knownSteps: known })).toBe(
      'steps[0].step "DropColumns" is not a step this version of Benchtop knows.',
    );
  });

  it('rejects deep nesting and newer notebook versions inside a valid link', async () => {
    const deep = `{"version":1,"seed":0,"dataset":null,"target":null,"steps":[],"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    expect(await errorOf(craftLink(deep))).toMatch(/is nested too deeply/);
    expect(await errorOf(craftLink(JSON.stringify({ ...emptyNotebook(), version: 3 })))).toMatch(
      /^This notebook was made by a newer Benchtop \(notebook version 3/,
    );
  });
});

describe('share links: checksum, trailing data, old links, parameters (issue 15)', () => {
  const DAMAGED =
    'The link is damaged: its checksum does not match, so characters were changed, lost or added when it was copied. Ask for the link again.';
  const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

  it('rejects every link with 1 to 4 characters changed, instead of opening another notebook', async () => {
    const link = await encodeNotebookLink(typicalNotebook());
    const head = '#nb=v2.'.length;
    let state = 12345;
    const next = (n: number) => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state % n;
    };
    for (let trial = 0; trial < 400; trial++) {
      const chars = [...link];
      const changes = 1 + (trial % 4);
      for (let c = 0; c < changes; c++) {
        const at = head + next(link.length - head);
        let replacement = ALPHABET[next(64)]!;
        if (replacement === chars[at]) replacement = ALPHABET[(ALPHABET.indexOf(replacement) + 1) % 64]!;
        chars[at] = replacement;
      }
      const changed = chars.join('');
      if (changed === link) continue;
      const result = await decodeNotebookLink(changed);
      expect(result.ok, `accepted ${changed}`).toBe(false);
    }
    // One changed character in the middle: the checksum names the problem.
    const mid = head + 20;
    const one = link.slice(0, mid) + (link[mid] === 'A' ? 'B' : 'A') + link.slice(mid + 1);
    expect(await errorOf(one)).toBe(DAMAGED);
  });

  it('rejects a last character changed only in its unused bits', async () => {
    let payload = '';
    for (let seed = 0; payload.length % 4 === 0; seed++) {
      payload = (await encodeNotebookLink({ ...emptyNotebook(), seed })).slice('#nb=v2.'.length);
    }
    const last = ALPHABET.indexOf(payload[payload.length - 1]!);
    const sibling = `#nb=v2.${payload.slice(0, -1)}${ALPHABET[last ^ 1]}`;
    expect(await errorOf(sibling)).toBe(DAMAGED);
  });

  it('rejects trailing data after the payload, in both formats', async () => {
    const link = await encodeNotebookLink(typicalNotebook());
    expect(await errorOf(`${link}AAAA`)).toBe(DAMAGED);
    // A v2 link whose checksum covers deflate data followed by junk (made on purpose).
    const deflated = deflateRawSync(JSON.stringify(emptyNotebook()));
    const junk = Buffer.concat([deflated, Buffer.from('junk')]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlibCrc32(junk));
    expect(await errorOf(`#nb=v2.${Buffer.concat([junk, crc]).toString('base64url')}`)).toBe(
      'The link has extra data after the notebook: it was changed or joined with other text when copied.',
    );
    expect(await errorOf(`#nb=v1.${junk.toString('base64url')}`)).toMatch(/^The link has extra data/);
  });

  it('still opens v1 links (no checksum), with a warning', async () => {
    const nb = typicalNotebook();
    const result = await decodeNotebookLink(craftLink(canonicalJson(nb)));
    expect(result.ok && result.notebook).toEqual(nb);
    expect(result.ok && result.warnings).toEqual([
      expect.stringMatching(/^This link was made by an older Benchtop/),
    ]);
  });

  it('checks step and model parameters against the schemas it is given', async () => {
    const schemas: Record<string, ParamSchemas> = {
      StandardScaler: { with_mean: { type: 'boolean', default: true, description: '' } },
      Ridge: { alpha: { type: 'number', default: 1, min: 0, description: '' } },
    };
    const options = { paramSchemas: (_kind: 'step' | 'model', name: string) => schemas[name] };
    const nb: Notebook = {
      ...emptyNotebook(),
      steps: [{ id: 'a', step: 'StandardScaler', params: { with_mean: false }, enabled: true }],
      train: { split: { kind: 'kfold', k: 5 }, models: [{ name: 'Ridge', params: { alpha: 2 } }] },
    };
    expect((await decodeNotebookLink(await encodeNotebookLink(nb), options)).ok).toBe(true);
    const badStep = { ...nb, steps: [{ ...nb.steps[0]!, params: { with_mean: 'yes' } }] };
    expect(await errorOf(await encodeNotebookLink(badStep), options)).toBe(
      'steps[0].params.with_mean must be true or false, got "yes".',
    );
    const unknown = { ...nb, steps: [{ ...nb.steps[0]!, params: { with_men: true } }] };
    expect(await errorOf(await encodeNotebookLink(unknown), options)).toBe(
      'steps[0].params.with_men is not a parameter here (parameters: with_mean).',
    );
    const badModel = { ...nb, train: { ...nb.train!, models: [{ name: 'Ridge', params: { alpha: -1 } }] } };
    expect(await errorOf(await encodeNotebookLink(badModel), options)).toBe(
      'train.models[0].params.alpha must be at least 0, got -1.',
    );
    const badGrid = { ...nb, train: { ...nb.train!, tune: { model: 'Ridge', grid: { alpha: [1, -2] } } } };
    expect(await errorOf(await encodeNotebookLink(badGrid), options)).toBe(
      'train.tune.grid.alpha[1] must be at least 0, got -2.',
    );
    // A link the app would refuse is never made when the same checks are given to the encoder.
    await expect(encodeNotebookLink(badStep, options)).rejects.toThrow(
      'Cannot make a link: steps[0].params.with_mean must be true or false, got "yes".',
    );
  });
});
