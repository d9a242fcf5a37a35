/**
 * Property-style: random seeded tables with tricky text (delimiters, quotes, line breaks, spaces,
 * unicode) written as CSV — with random quoting, line ends and delimiter — read back equal.
 */
import { describe, expect, it } from 'vitest';
import { createRng, type Rng } from '../../src/core/rng';
import { readText, types, values } from './helpers';

const PIECES = ['a', 'b', 'Zoë', '東京', ' ', ',', ';', '"', '""', '\n', '\r\n', '|', '\t', 'x y', '1', '-'];

function randomText(rng: Rng): string {
  let s = 'w';
  const parts = 1 + rng.int(5);
  for (let i = 0; i < parts; i++) s += PIECES[rng.int(PIECES.length)];
  return s;
}

function quote(field: string, delimiter: string, always: boolean): string {
  const needs = field.includes(delimiter) || /["\r\n]/.test(field) || /^\s|\s$/.test(field);
  return always || needs ? `"${field.replaceAll('"', '""')}"` : field;
}

describe('CSV round trip', () => {
  for (let seed = 1; seed <= 25; seed++) {
    it(`seed ${seed}`, async () => {
      const rng = createRng(seed);
      const rows = 5 + rng.int(200);
      const delimiter = [',', ';', '\t', '|'][rng.int(4)]!;
      const eol = ['\n', '\r\n'][rng.int(2)]!;
      const ints = Array.from({ length: rows }, () =>
        rng.next() < 0.1 ? null : rng.int(2_000_001) - 1_000_000,
      );
      const floats = Array.from({ length: rows }, () =>
        rng.next() < 0.1 ? null : Number((rng.normal() * 10 ** rng.int(6)).toPrecision(1 + rng.int(15))),
      );
      const texts = Array.from({ length: rows }, () => randomText(rng));
      const bools = Array.from({ length: rows }, () => rng.next() < 0.5);
      const quoteAll = rng.next() < 0.3;
      const header = ['int', 'float', 'text', 'flag']
        .map((h) => quote(h, delimiter, quoteAll))
        .join(delimiter);
      const lines = ints.map((_, r) =>
        [
          ints[r] === null ? '' : quote(String(ints[r]), delimiter, quoteAll),
          floats[r] === null ? 'NA' : quote(String(floats[r]), delimiter, quoteAll),
          quote(texts[r]!, delimiter, quoteAll || rng.next() < 0.2),
          quote(String(bools[r]), delimiter, quoteAll),
        ].join(delimiter),
      );
      const csv = [header, ...lines].join(eol) + (rng.next() < 0.5 ? eol : '');
      const { table, report } = await readText(csv, 'random.csv', { delimiter });
      expect(report.raggedCount).toBe(0);
      expect(table.numRows).toBe(rows);
      expect(values(table, 'int')).toEqual(ints);
      expect(values(table, 'float')).toEqual(floats);
      expect(values(table, 'text')).toEqual(texts);
      expect(values(table, 'flag')).toEqual(bools);
      expect(types(table).int).toBe('integer');
    });
  }

  it('detects the delimiter of random tables', async () => {
    for (let seed = 100; seed < 110; seed++) {
      const rng = createRng(seed);
      const delimiter = [',', ';', '\t', '|'][rng.int(4)]!;
      const lines = Array.from({ length: 20 }, () =>
        [rng.int(100), quote(randomText(rng), delimiter, true), rng.next().toFixed(3)].join(delimiter),
      );
      const { report } = await readText(`${['a', 'b', 'c'].join(delimiter)}\n${lines.join('\n')}`, 'r.csv');
      expect(report.delimiter).toBe(delimiter);
    }
  });
});
