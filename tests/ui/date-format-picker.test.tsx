// @vitest-environment happy-dom
/**
 * The date format in a Data-tab header (issue 14, item 7): shown for dates read from text, not for
 * native Arrow dates; a choice asks the engine to re-read the column with it; the guessed
 * day/month order flips in one click; a refusal is shown in the panel.
 */
import { cleanup, fireEvent, render, screen } from '@solidjs/testing-library';
import { tableFromArrays } from 'apache-arrow';
import { createSignal } from 'solid-js';
import { afterEach, describe, expect, it } from 'vitest';
import { EngineError } from '../../src/core/errors';
import type { ColumnInfo, DatasetInfo } from '../../src/protocol/api';
import { fitSummary, typeForFormat } from '../../src/ui/data/DateFormatPicker';
import { VirtualTable } from '../../src/ui/data/VirtualTable';

const columns: ColumnInfo[] = [
  {
    name: 'when',
    type: 'date',
    inferredType: 'date',
    arrowType: 'Date32<DAY>',
    missing: 0,
    dateFormat: '%m/%d/%Y',
    dateAlternative: '%d/%m/%Y',
  },
  { name: 'native', type: 'datetime', inferredType: 'datetime', arrowType: 'Timestamp', missing: 0 },
];
const dataset = (cols: ColumnInfo[]): DatasetInfo => ({
  id: 'd',
  name: 'd.csv',
  source: { kind: 'file', name: 'd.csv' },
  rows: 4,
  columns: cols,
  memoryBytes: 64,
  fileBytes: 64,
  report: { format: 'csv', raggedRows: [], raggedCount: 0, warnings: [], parseMs: 1 },
});
const fetchRows = async () => tableFromArrays({ when: [1, 2, 3, 4], native: [1, 2, 3, 4] });
const settle = () => new Promise((r) => setTimeout(r, 0));

describe('the date format in the column header', () => {
  afterEach(cleanup);

  it('shows the format of text dates only, and asks for a re-read with the chosen one', async () => {
    const [data, setData] = createSignal(dataset(columns));
    const calls: unknown[][] = [];
    render(() => (
      <VirtualTable
        dataset={data()}
        revision={1}
        fetchRows={fetchRows}
        onSetType={async (column, type, format) => {
          calls.push([column, type, format]);
          const cols = data().columns.map((c) =>
            c.name === column
              ? { ...c, type, dateFormat: format, dateAlternative: undefined, missing: 2, unfit: 2 }
              : c,
          );
          setData(dataset(cols as ColumnInfo[]));
          return data();
        }}
      />
    ));
    await settle();
    const button = screen.getByRole('button', { name: 'Date format of when: %m/%d/%Y' });
    expect(button.textContent).toBe('%m/%d/%Y?');
    expect(screen.queryByRole('button', { name: /Date format of native/ })).toBeNull();

    fireEvent.click(button);
    expect(screen.getByTestId('date-guess').textContent).toContain('read month-first (%m/%d/%Y)');
    fireEvent.click(screen.getByRole('button', { name: 'Read day-first instead' }));
    await settle();
    expect(calls).toEqual([['when', 'date', '%d/%m/%Y']]);
    // The header is the same one (its panel stayed open) and shows the new format and the count.
    expect(screen.getByRole('dialog', { name: 'Date format of when' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Date format of when: %d/%m/%Y' }).textContent).toBe(
      '%d/%m/%Y',
    );
    expect(screen.getByTestId('unfit').textContent).toBe('2 unfit · ');
    expect(screen.getByTestId('date-fit').textContent).toBe(
      '2 of 4 values did not fit %d/%m/%Y and show as missing. Nothing is lost: another format reads them again.',
    );

    const radio = screen.getByDisplayValue('%m/%d/%Y %I:%M %p') as HTMLInputElement;
    fireEvent.click(radio);
    await settle();
    expect(calls[1]).toEqual(['when', 'datetime', '%m/%d/%Y %I:%M %p']);
  });

  it('shows a refused custom format in the panel', async () => {
    render(() => (
      <VirtualTable
        dataset={dataset(columns)}
        revision={1}
        fetchRows={fetchRows}
        onSetType={async () =>
          new EngineError('InvalidArgument', 'The date format "%Q" uses %Q, which is not supported.', {
            hint: 'Use %Y %m %d.',
          })
        }
      />
    ));
    await settle();
    fireEvent.click(screen.getByRole('button', { name: /Date format of when/ }));
    fireEvent.input(screen.getByLabelText('Custom date format (strftime)'), { target: { value: '%Q' } });
    fireEvent.click(screen.getByRole('button', { name: 'Read' }));
    await settle();
    expect(screen.getByRole('alert').textContent).toBe(
      'The date format "%Q" uses %Q, which is not supported. Use %Y %m %d.',
    );
  });

  it('picks the type from the format and sums up the fit', () => {
    expect(typeForFormat('%d/%m/%Y', 'datetime')).toBe('date');
    expect(typeForFormat('%d/%m/%Y %H:%M', 'date')).toBe('datetime');
    expect(typeForFormat('ISO8601', 'date')).toBe('date');
    expect(typeForFormat('ISO8601', 'text')).toBe('datetime');
    const col = { ...columns[0]!, missing: 1 };
    expect(fitSummary(col, 4)).toBe('All 3 values fit %m/%d/%Y.');
  });
});
