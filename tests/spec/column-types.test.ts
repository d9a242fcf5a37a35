/**
 * The notebook's column types (the Data tab's choices, so a link reproduces them): optional, so
 * every older document still opens unchanged; bounded and checked like the rest of the document.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { COLUMN_TYPES, type ColumnType as EngineColumnType } from '../../src/core/types.ts';
import { decodeNotebookLink, encodeNotebookLink } from '../../src/spec/link.ts';
import { type ColumnType, emptyNotebook, type Notebook } from '../../src/spec/notebook.ts';
import { parseNotebook } from '../../src/spec/parse.ts';
import { typicalNotebook } from './fixtures.ts';

const withTypes = (columnTypes: unknown): unknown => ({ ...typicalNotebook(), columnTypes });

function refusal(doc: unknown): string {
  const result = parseNotebook(doc);
  if (result.ok) throw new Error('accepted');
  return result.error;
}

describe('notebook columnTypes', () => {
  it("names the engine's column types, no more and no fewer", () => {
    expectTypeOf<ColumnType>().toEqualTypeOf<EngineColumnType>();
    const doc = (type: string) => withTypes({ c: { type } });
    for (const type of COLUMN_TYPES) expect(parseNotebook(doc(type)).ok).toBe(true);
  });

  it('is optional: a notebook without it parses without one (no version change)', () => {
    const result = parseNotebook(typicalNotebook());
    expect(result.ok && 'columnTypes' in result.notebook).toBe(false);
    expect(result.ok && result.notebook.version).toBe(1);
  });

  it('accepts types and date formats, and a link carries them unchanged', async () => {
    const nb: Notebook = {
      ...typicalNotebook(),
      columnTypes: {
        Pclass: { type: 'categorical' },
        'Ticket date': { type: 'date', dateFormat: '%d/%m/%Y' },
        Boarded: { type: 'datetime', dateFormat: '%b %d %Y %I:%M %p' },
        Stamp: { type: 'datetime', dateFormat: 'ISO8601' },
        Fare: { type: 'float' },
      },
    };
    const parsed = parseNotebook(nb);
    expect(parsed.ok && parsed.notebook.columnTypes).toEqual(nb.columnTypes);
    const opened = await decodeNotebookLink(await encodeNotebookLink(nb));
    expect(opened.ok && opened.notebook.columnTypes).toEqual(nb.columnTypes);
  });

  it('refuses a type that is not a column type, naming the column', () => {
    expect(refusal(withTypes({ Age: { type: 'number' } }))).toBe(
      'columnTypes.Age.type must be "integer", "float", "boolean", "date", "datetime", "categorical" or "text", not the string "number".',
    );
    expect(refusal(withTypes({ Age: 'integer' }))).toMatch(/^columnTypes\.Age must be an object/);
    expect(refusal(withTypes({ Age: {} }))).toBe('columnTypes.Age is missing the required field "type".');
    expect(refusal(withTypes({ Age: { type: 'integer', cast: 'x' } }))).toBe(
      'columnTypes.Age has an unknown field "cast".',
    );
  });

  it('refuses formats with unknown directives, non-ASCII or control characters, or too long', () => {
    for (const format of ['%Q-%m', '%Y-%m-%', '%Y年%m月', '%Y\n%m', '', `%Y-%m${'-'.repeat(70)}`]) {
      const error = refusal(withTypes({ When: { type: 'date', dateFormat: format } }));
      expect(error).toMatch(
        /^columnTypes\.When\.dateFormat must (be "ISO8601" or strftime|not be empty|be at most 64)/,
      );
    }
  });

  it('refuses a date format on a column that is not a date', () => {
    expect(refusal(withTypes({ Fare: { type: 'float', dateFormat: '%Y' } }))).toBe(
      'columnTypes.Fare.dateFormat applies to date and datetime columns, not to the type "float".',
    );
  });

  it('refuses too many columns, empty or overlong names, and prototype keys', () => {
    const many: Record<string, unknown> = {};
    for (let i = 0; i < 2001; i++) many[`c${i}`] = { type: 'text' };
    expect(refusal(withTypes(many))).toBe('columnTypes must have at most 2000 entries (it has 2001).');
    expect(refusal(withTypes({ '': { type: 'text' } }))).toBe(
      'columnTypes has the key ""; keys must be column names of 1 to 256 characters.',
    );
    expect(refusal(withTypes({ ['x'.repeat(257)]: { type: 'text' } }))).toMatch(
      /^columnTypes has the key "x{40}…"; keys must be column names/,
    );
    expect(
      refusal(
        JSON.parse(
          '{"version":1,"seed":0,"dataset":null,"target":null,"steps":[],"columnTypes":{"__proto__":{"type":"text"}}}',
        ),
      ),
    ).toBe('columnTypes has the forbidden key "__proto__".');
    expect(refusal({ ...emptyNotebook(), columnTypes: [] })).toMatch(/^columnTypes must be an object/);
  });
});
