import { describe, expect, it } from 'vitest';
import { castColumn } from '../../src/io/cast';
import { arrowTypes, readText, types, values } from './helpers';

async function load() {
  const { table } = await readText(
    'n,f,s,c,d,b\n1,1.5,10,a,2024-01-02,true\n2,2.25,x,b,2024-03-04,false\n3,-3,30,a,,true\n4,0,40,b,2024-05-06,false\n5,1,50,a,2024-07-08,true\n',
  );
  return table;
}

describe('castColumn', () => {
  it('number → text formats the numbers', async () => {
    const { table, failed } = castColumn(await load(), 'f', 'text');
    expect(failed).toBe(0);
    expect(values(table, 'f')).toEqual(['1.5', '2.25', '-3', '0', '1']);
    expect(arrowTypes(table).f).toBe('Utf8');
    expect(table.schema.fields.find((x) => x.name === 'f')!.metadata.get('benchtop.inferredType')).toBe(
      'float',
    );
  });

  it('text → integer parses and counts failures', async () => {
    const { table, failed } = castColumn(await load(), 's', 'integer');
    expect(failed).toBe(1);
    expect(values(table, 's')).toEqual([10, null, 30, 40, 50]);
    expect(types(table).s).toBe('integer');
  });

  it('categorical ↔ text keeps the values', async () => {
    const base = await load();
    expect(types(base).c).toBe('categorical');
    const text = castColumn(base, 'c', 'text');
    expect(arrowTypes(text.table).c).toBe('Utf8');
    expect(values(text.table, 'c')).toEqual(['a', 'b', 'a', 'b', 'a']);
    const back = castColumn(text.table, 'c', 'categorical');
    expect(arrowTypes(back.table).c).toBe('Dictionary<Int32, Utf8>');
    expect(values(back.table, 'c')).toEqual(['a', 'b', 'a', 'b', 'a']);
  });

  it('text → date, date → text and date → datetime', async () => {
    const asText = castColumn(await load(), 'd', 'text');
    expect(values(asText.table, 'd')).toEqual(['2024-01-02', '2024-03-04', null, '2024-05-06', '2024-07-08']);
    const asDate = castColumn(asText.table, 'd', 'date');
    expect(asDate.failed).toBe(0);
    expect(values(asDate.table, 'd')[0]).toBe(Date.UTC(2024, 0, 2));
    const asDatetime = castColumn(asDate.table, 'd', 'datetime');
    expect(arrowTypes(asDatetime.table).d).toBe('Timestamp<MILLISECOND>');
    expect(values(asDatetime.table, 'd')[1]).toBe(Date.UTC(2024, 2, 4));
  });

  it('boolean → integer and integer → boolean', async () => {
    const asInt = castColumn(await load(), 'b', 'integer');
    expect(values(asInt.table, 'b')).toEqual([1, 0, 1, 0, 1]);
    const asBool = castColumn(await load(), 'n', 'boolean');
    expect(asBool.failed).toBe(4);
    expect(values(asBool.table, 'n')).toEqual([true, null, null, null, null]);
  });

  it('leaves the other columns untouched and rejects unknown columns', async () => {
    const base = await load();
    const { table } = castColumn(base, 'n', 'float');
    expect(values(table, 's')).toEqual(values(base, 's'));
    expect(arrowTypes(table).n).toBe('Float64');
    expect(() => castColumn(base, 'nope', 'text')).toThrow(/no column "nope"/);
  });
});
