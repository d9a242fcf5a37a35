import { describe, expect, it } from 'vitest';
import {
  decodeNotebookLink,
  encodeNotebookLink,
  MAX_INFLATED_BYTES,
  toBase64Url,
} from '../../src/spec/link.ts';
import { typicalNotebook } from './fixtures.ts';

/** Chromium's own CompressionStream makes the bomb, so the test needs nothing from Node. */
async function deflateRaw(bytes: Uint8Array<ArrayBuffer>): Promise<Uint8Array> {
  const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

describe('share links in Chromium (platform CompressionStream)', () => {
  it('round-trips a typical notebook, gives a stable link, and stays under 2 KB', async () => {
    const nb = typicalNotebook();
    const link = await encodeNotebookLink(nb);
    expect(link.length).toBeLessThan(2048);
    expect(await encodeNotebookLink(typicalNotebook())).toBe(link);
    expect(await decodeNotebookLink(`${location.origin}/${link}`)).toEqual({
      ok: true,
      notebook: nb,
      warnings: [],
    });
  });

  it('stops a deflate bomb and reports a truncated link', async () => {
    const text = new TextEncoder().encode(`{"version":1,"title":"${'a'.repeat(8 * 1024 * 1024)}"}`);
    const bomb = `#nb=v1.${toBase64Url(await deflateRaw(text))}`;
    expect(await decodeNotebookLink(bomb)).toEqual({
      ok: false,
      error: `The link expands to more than ${MAX_INFLATED_BYTES / 1024} KB, far more than any notebook; it was refused.`,
    });
    const link = await encodeNotebookLink(typicalNotebook());
    const cut = `#nb=v1.${link.slice('#nb=v1.'.length, '#nb=v1.'.length + 400)}`;
    expect(await decodeNotebookLink(cut)).toEqual({
      ok: false,
      error:
        'The link is damaged: its compressed data is incomplete or corrupt (was it cut off when copied?).',
    });
  });
});
