import { tableFromIPC, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { detectDelimiter } from '../../src/io/csv/tokenize';
import { readTableWithReport } from '../../src/io/read';
import type { Progress } from '../../src/protocol/api';
import { arrowTypes, fixture, readText, rejection, types, utf8, values } from './helpers';

describe('delimited text: structure', () => {
  it('handles RFC 4180 quoting: delimiters, "" escapes and newlines inside quotes', async () => {
    const { table, report } = await readTableWithReport(fixture('data/quoted-newlines.csv'), 'q.csv');
    expect(table.numRows).toBe(4);
    expect(values(table, 'comment')).toEqual(['line one\nline two', 'say "hi", ok', 'plain', 'a,b\r\nc']);
    expect(values(table, 'score')).toEqual([5, 6, 7, 8]);
    expect(report.raggedCount).toBe(0);
  });

  it.each([
    ['data/cr-only.csv', 'CR'],
    ['data/crlf.csv', 'CRLF'],
  ])('reads %s line ends (%s)', async (path) => {
    const { table } = await readTableWithReport(fixture(path), 'x.csv');
    expect(values(table, 'x').slice(0, 2)).toEqual([1, 2]);
    expect(values(table, 'y').slice(0, 2)).toEqual(['a', 'b']);
  });

  it('reads a final line without a line end, and skips blank lines', async () => {
    const { table } = await readText('a,b\n1,2\n\n\n3,4');
    expect(values(table, 'a')).toEqual([1, 3]);
    expect(values(table, 'b')).toEqual([2, 4]);
  });

  it('detects ; tab and | delimiters', async () => {
    const semi = await readTableWithReport(fixture('data/semicolon.csv'), 's.csv');
    expect(semi.report.delimiter).toBe(';');
    expect(semi.table.schema.names).toEqual(['name', 'amount', 'when']);
    // "1,5" with ";" between fields: a decimal comma, as European spreadsheets write it.
    expect(types(semi.table).amount).toBe('float');
    expect(values(semi.table, 'amount')).toEqual([1.5, 2.25, 3]);
    expect(semi.report.decimal).toBe(',');
    expect(types(semi.table).when).toBe('date');
    const tsv = await readTableWithReport(fixture('data/people.tsv'), 'p.tsv');
    expect(tsv.report.delimiter).toBe('\t');
    expect(values(tsv.table, 'active')).toEqual([true, false, true]);
    const pipe = await readText('a|b|c\n1|x,y|2\n3|z|4\n');
    expect(pipe.report.delimiter).toBe('|');
    expect(values(pipe.table, 'b')).toEqual(['x,y', 'z']);
  });

  it('reads decimal commas in ";" files only where every value is such a number (olive.csv)', async () => {
    const { table, report } = await readText(
      'area;palmitic;code;mixed;note\n"Umbria";10,75;007;1,5;a\nSicily; -0,5 ;8;x;b\nLiguria;;9;2;c\n',
    );
    expect(types(table)).toMatchObject({ palmitic: 'float', code: 'integer', mixed: 'text' });
    expect(values(table, 'palmitic')).toEqual([10.75, -0.5, null]);
    expect(values(table, 'mixed')).toEqual(['1,5', 'x', '2']);
    expect(report.decimal).toBe(',');
    expect(report.warnings.join(' ')).toMatch(/"palmitic" with a decimal comma/);
    // With "," between fields a comma is a delimiter or (quoted) a thousands separator, never a decimal mark.
    const comma = await readText('a,b\n"1,5",x\n"2,5",y\n');
    expect(comma.report.decimal).toBeUndefined();
    expect(types(comma.table).a).not.toBe('float');
  });

  it('ignores delimiters inside quotes when detecting', () => {
    const text = utf8('"a;b;c",x\n"d;e;f",y\n"g;h;i",z\n');
    expect(detectDelimiter(text, false)).toBe(',');
  });

  it('honours an explicit delimiter', async () => {
    const { table } = await readText('a;b\n1;2\n', 'x.csv', { delimiter: ',' });
    expect(table.schema.names).toEqual(['a;b']);
  });

  it('detects a header, or its absence, and respects options.header', async () => {
    const withHeader = await readText('x,y\n1,2\n3,4\n');
    expect(withHeader.report.header).toBe(true);
    expect(withHeader.table.numRows).toBe(2);
    const without = await readText('1,2\n3,4\n');
    expect(without.report.header).toBe(false);
    expect(without.table.schema.names).toEqual(['column_1', 'column_2']);
    expect(values(without.table, 'column_1')).toEqual([1, 3]);
    const forced = await readText('x,y\n1,2\n', 'x.csv', { header: false });
    expect(forced.table.numRows).toBe(2);
    expect(types(forced.table).column_1).toBe('text');
  });

  it('treats an all-text first row as a header only when it looks like one', async () => {
    const names = await readText('city,country\nParis,France\nLyon,France\n');
    expect(names.report.header).toBe(true);
    // A repeated value in the first row is data, not a header.
    const data = await readText('Paris,France\nLyon,France\n');
    expect(data.report.header).toBe(false);
  });

  it('cleans header names: trim, fill empty, dedupe', async () => {
    const { table } = await readText(' a ,,a,b,a\n1,2,3,4,5\n');
    expect(table.schema.names).toEqual(['a', 'column_2', 'a_2', 'b', 'a_3']);
  });

  it('reports ragged rows with their 1-based line, pads short rows and cuts long ones', async () => {
    const { table, report } = await readTableWithReport(fixture('bad/ragged.csv'), 'ragged.csv');
    expect(report.raggedCount).toBe(2);
    expect(report.raggedRows).toEqual([
      { line: 3, fields: 2 },
      { line: 4, fields: 4 },
    ]);
    expect(values(table, 'c')).toEqual([3, null, 8, 12]);
    expect(table.numCols).toBe(3);
    expect(report.warnings.join(' ')).toMatch(/2 rows .* line 3/);
  });

  it('counts lines inside quoted fields for ragged-row line numbers', async () => {
    const { report } = await readText('a,b\n"x\ny",1\n2\n');
    expect(report.raggedRows).toEqual([{ line: 4, fields: 1 }]);
  });

  it('lists at most 100 ragged rows but counts them all', async () => {
    const text = `a,b\n${'1\n'.repeat(150)}`;
    const { report } = await readText(text);
    expect(report.raggedCount).toBe(150);
    expect(report.raggedRows).toHaveLength(100);
  });
});

describe('delimited text: encodings', () => {
  it('reads UTF-8 with a BOM', async () => {
    const { table, report } = await readTableWithReport(fixture('data/utf8-bom.csv'), 'b.csv');
    expect(table.schema.names[0]).toBe('name');
    expect(values(table, 'name')).toEqual(['café', 'thé']);
    expect(report.encoding).toBe('utf-8');
  });

  it.each([
    ['data/utf16le-bom.csv', 'utf-16le'],
    ['data/utf16be-bom.csv', 'utf-16be'],
  ])('reads %s', async (path, encoding) => {
    const { table, report } = await readTableWithReport(fixture(path), 'u.csv');
    expect(report.encoding).toBe(encoding);
    expect(values(table, 'city')).toEqual(['Zürich', 'München']);
    expect(values(table, 'temp')).toEqual([12.5, 9]);
  });

  it('falls back to Latin-1 when the bytes are not UTF-8', async () => {
    const { table, report } = await readTableWithReport(fixture('data/latin1.csv'), 'l.csv');
    expect(report.encoding).toBe('latin1');
    expect(values(table, 'name')).toEqual(['café', 'thé', 'naïve']);
    expect(values(table, 'price')).toEqual([2.5, 3, 4.25]);
  });

  it('rejects bytes that are not the forced encoding', async () => {
    const err = await rejection(
      readTableWithReport(fixture('data/latin1.csv'), 'l.csv', { encoding: 'utf-8' }),
    );
    expect(err.name).toBe('EncodingError');
    expect(err.message).toContain('l.csv');
    expect(err.detail.hint).toBeTruthy();
  });

  it('rejects UTF-16 without a BOM that does not decode', async () => {
    const err = await rejection(readTableWithReport(fixture('bad/utf16-no-bom-garbage.csv'), 'g.csv'));
    expect(err.name).toBe('EncodingError');
  });
});

describe('delimited text: bad input', () => {
  it('reports an unbalanced quote with the line where it opened', async () => {
    const err = await rejection(readTableWithReport(fixture('bad/unbalanced-quote.csv'), 'scores.csv'));
    expect(err.name).toBe('ParseError');
    expect(err.detail.line).toBe(3);
    expect(err.message).toContain('scores.csv');
    expect(err.message).toContain('line 3');
    expect(err.detail.hint).toMatch(/line 3/);
  });

  it.each(['bad/empty.csv', 'bad/whitespace-only.csv'])('rejects %s as EmptyFile', async (path) => {
    const err = await rejection(readTableWithReport(fixture(path), 'e.csv'));
    expect(err.name).toBe('EmptyFile');
    expect(err.message).toContain('e.csv');
  });

  it('rejects a PNG named .csv', async () => {
    const err = await rejection(readTableWithReport(fixture('bad/image.png.csv'), 'photo.csv'));
    expect(err.name).toBe('UnsupportedFormat');
    expect(err.message).toMatch(/photo\.csv is a PNG image/);
  });

  it('rejects other binary bytes named .csv', async () => {
    const bytes = new Uint8Array(2000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 37) % 256;
    const err = await rejection(readTableWithReport(bytes, 'blob.csv'));
    expect(err.name).toBe('UnsupportedFormat');
  });
});

describe('delimited text: progress and cancel', () => {
  const big = `a,b,c\n${Array.from({ length: 400_000 }, (_, i) => `${i},${i * 0.5},x${i % 7}`).join('\n')}\n`;

  it('reports increasing progress up to 1', async () => {
    const seen: Progress[] = [];
    await readText(big, 'big.csv', { onProgress: (p) => seen.push(p) });
    const fractions = seen.map((p) => p.fraction ?? 0);
    expect(fractions.length).toBeGreaterThan(2);
    expect([...fractions].sort((x, y) => x - y)).toEqual(fractions);
    expect(fractions.at(-1)).toBeCloseTo(1);
  });

  it('stops with Cancelled when the signal aborts', async () => {
    const controller = new AbortController();
    const err = await rejection(
      readText(big, 'big.csv', {
        signal: controller.signal,
        onProgress: (p) => {
          if ((p.fraction ?? 0) > 0.1) controller.abort();
        },
      }),
    );
    expect(err.name).toBe('Cancelled');
  });
});

describe('delimited text: column types', () => {
  it('maps every type to its Arrow type', async () => {
    const rows = Array.from(
      { length: 60 },
      (_, i) =>
        `${i},${i + 0.5},${i % 2 ? 'true' : 'false'},2024-01-${String((i % 28) + 1).padStart(2, '0')},2024-01-01T00:00:${String(i % 60).padStart(2, '0')}Z,${['red', 'green', 'blue'][i % 3]},note number ${i}`,
    );
    const { table } = await readText(`i,f,b,d,t,c,s\n${rows.join('\n')}\n`);
    expect(types(table)).toEqual({
      i: 'integer',
      f: 'float',
      b: 'boolean',
      d: 'date',
      t: 'datetime',
      c: 'categorical',
      s: 'text',
    });
    expect(arrowTypes(table)).toEqual({
      i: 'Int32',
      f: 'Float64',
      b: 'Bool',
      d: 'Date32<DAY>',
      t: 'Timestamp<MILLISECOND>',
      c: 'Dictionary<Int32, Utf8>',
      s: 'Utf8',
    });
    expect(values(table, 'c').slice(0, 4)).toEqual(['red', 'green', 'blue', 'red']);
    expect(values(table, 't')[5]).toBe(Date.UTC(2024, 0, 1, 0, 0, 5));
  });

  it('builds tables that survive an Arrow IPC round trip (what the engine sends to the UI)', async () => {
    const rows = Array.from({ length: 100 }, (_, i) =>
      [i % 7 === 0 ? '' : i, i / 3, i % 2 ? 'yes' : 'no', ['a', 'b', 'c'][i % 3], `t${i}`, '2024-05-06'].join(
        ',',
      ),
    );
    const { table } = await readText(`i,f,b,c,s,d\n${rows.join('\n')}\n`);
    for (const format of ['stream', 'file'] as const) {
      const back = tableFromIPC(tableToIPC(table, format));
      expect(back.schema.fields.map((f) => f.metadata.get('benchtop.type'))).toEqual(
        table.schema.fields.map((f) => f.metadata.get('benchtop.type')),
      );
      for (const { name } of table.schema.fields) expect(values(back, name)).toEqual(values(table, name));
    }
  });

  it('uses Float64 for integers outside the int32 range', async () => {
    const { table } = await readText('big\n1\n3000000000\n-5\n');
    expect(types(table).big).toBe('integer');
    expect(arrowTypes(table).big).toBe('Float64');
    expect(values(table, 'big')).toEqual([1, 3000000000, -5]);
  });

  it('turns missing markers into nulls and ignores them for inference', async () => {
    const { table } = await readText('a,b\n1,x\nNA,\n,N/A\n3,y\nnull,?\n');
    expect(values(table, 'a')).toEqual([1, null, null, 3, null]);
    expect(types(table).a).toBe('integer');
    expect(values(table, 'b')).toEqual(['x', null, null, 'y', null]);
  });

  it('uses custom missing markers', async () => {
    const { table } = await readText('a\n1\n-999\n2\nNA\n', 'x.csv', { missingMarkers: ['-999'] });
    // NA is no longer missing, so the column is text.
    expect(types(table).a).toBe('text');
    expect(values(table, 'a')).toEqual(['1', null, '2', 'NA']);
  });

  it('applies forced column types and counts the values that do not fit', async () => {
    const { table, report } = await readText(
      'code,n,when\n007,1,2024-01-02\n042,x,2024-01-03T12:00:00Z\n',
      'x.csv',
      {
        columnTypes: { code: 'text', n: 'integer', when: 'date' },
      },
    );
    expect(values(table, 'code')).toEqual(['007', '042']);
    expect(values(table, 'n')).toEqual([1, null]);
    expect(values(table, 'when')).toEqual([Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 3)]);
    expect(report.warnings.join(' ')).toMatch(/1 value in column "n" did not fit the type integer/);
    const field = table.schema.fields.find((f) => f.name === 'code')!;
    expect(field.metadata.get('benchtop.inferredType')).toBe('integer');
  });

  it('reads integers beyond 2^53 as text, every digit kept (trump_tweets id_str)', async () => {
    const ids = ['947213895286054914', '947213895286054915', '9007199254740993', '12'];
    const { table, report } = await readText(`id_str,n\n${ids.map((id, i) => `${id},${i}`).join('\n')}\n`);
    expect(types(table).id_str).not.toMatch(/integer|float/);
    expect(values(table, 'id_str')).toEqual(ids);
    expect(types(table).n).toBe('integer');
    expect(report.warnings.join(' ')).toMatch(/"id_str" has integers beyond 2\^53/);
    // The largest safe integer (2^53 − 1) is exact: still an integer column.
    expect(types((await readText('n\n9007199254740991\n1\n')).table).n).toBe('integer');
  });

  it('parses numbers exactly as Number() does', async () => {
    const texts = [
      '0.1',
      '-0.000123',
      '123456789012.345',
      '1e5',
      '-.5',
      '2.5E-3',
      '12345678901234567',
      '0.30000000000000004',
    ];
    const { table } = await readText(`v\n${texts.join('\n')}\n`);
    expect(values(table, 'v')).toEqual(texts.map(Number));
  });
});
