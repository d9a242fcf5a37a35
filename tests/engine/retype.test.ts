/**
 * Issue 15: changing a column's type and back restores it exactly (the original column is kept,
 * src/io/retype.ts): categorical → integer → categorical used to leave 500 of 500 values missing.
 */
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { createNodeEngine } from '../../workers/engine.node';

function csv(rows: number): Uint8Array {
  const lines = ['id,colour,price'];
  for (let i = 0; i < rows; i++)
    lines.push(`${i},${['red', 'green', 'blue', 'teal'][i % 4]},${(i % 9) + 0.5}0`);
  return new TextEncoder().encode(lines.join('\n'));
}

async function column(engine: ReturnType<typeof createNodeEngine>, id: string, name: string) {
  const table = tableFromIPC(await engine.rows(id, 0, 1_000_000));
  return {
    values: table.getChild(name)!.toArray() as unknown[],
    type: String(table.schema.fields.find((f) => f.name === name)!.type),
  };
}

describe('setColumnType keeps the original column', () => {
  it('categorical → integer → categorical restores all 500 values', async () => {
    const engine = createNodeEngine();
    const info = await engine.loadBytes(csv(500), 'shop.csv');
    expect(info.columns.find((c) => c.name === 'colour')!.type).toBe('categorical');
    const before = await column(engine, info.id, 'colour');
    const asInt = await engine.setColumnType(info.id, 'colour', 'integer');
    expect(asInt.columns.find((c) => c.name === 'colour')!.missing).toBe(500);
    expect(asInt.report.warnings).toContain(
      'Column "colour": 500 values could not be read as integer and are now missing.',
    );
    const back = await engine.setColumnType(info.id, 'colour', 'categorical');
    expect(back.columns.find((c) => c.name === 'colour')).toMatchObject({ type: 'categorical', missing: 0 });
    expect(back.report.warnings.filter((w) => w.startsWith('Column "colour"'))).toEqual([]);
    expect(await column(engine, info.id, 'colour')).toEqual(before);
  });

  it('each type is cast from the original, and the original type gives the original data back', async () => {
    const engine = createNodeEngine();
    const info = await engine.loadBytes(csv(50), 'shop.csv');
    const before = await column(engine, info.id, 'price');
    expect(before.type).toBe('Float64');
    // float → boolean loses every value; boolean → text must still see the numbers, not nulls.
    await engine.setColumnType(info.id, 'price', 'boolean');
    const text = await engine.setColumnType(info.id, 'price', 'text');
    expect(text.columns.find((c) => c.name === 'price')!.missing).toBe(0);
    expect((await column(engine, info.id, 'price')).values[0]).toBe('0.5');
    await engine.setColumnType(info.id, 'price', 'float');
    expect(await column(engine, info.id, 'price')).toEqual(before);
    // The other columns never moved.
    expect((await column(engine, info.id, 'colour')).values.slice(0, 4)).toEqual([
      'red',
      'green',
      'blue',
      'teal',
    ]);
  });
});
