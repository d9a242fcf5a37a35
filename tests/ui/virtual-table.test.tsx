// @vitest-environment happy-dom
import { cleanup, render, screen } from '@solidjs/testing-library';
import { tableFromArrays } from 'apache-arrow';
import { createSignal } from 'solid-js';
import { afterEach, describe, expect, it } from 'vitest';
import type { DatasetInfo } from '../../src/protocol/api';
import { BLOCK_SIZE, VirtualTable } from '../../src/ui/data/VirtualTable';

const ROWS = 10_000;

function dataset(): DatasetInfo {
  return {
    id: 'big',
    name: 'big.csv',
    source: { kind: 'file', name: 'big.csv' },
    rows: ROWS,
    columns: [
      { name: 'value', type: 'float', inferredType: 'float', arrowType: 'Float64', missing: 1 },
      { name: 'label', type: 'categorical', inferredType: 'text', arrowType: 'Utf8', missing: 0 },
    ],
    memoryBytes: ROWS * 16,
    fileBytes: ROWS * 10,
    report: { format: 'csv', raggedRows: [], raggedCount: 0, warnings: [], parseMs: 1 },
  };
}

/** Serves rows like the worker would: value = row index / 2 (row 0 missing), label = "r<index>". */
function fakeRows() {
  const calls: [number, number][] = [];
  const fetchRows = async (_id: string, start: number, end: number) => {
    calls.push([start, end]);
    const value = Array.from({ length: end - start }, (_, i) => (start + i === 0 ? null : (start + i) / 2));
    const label = Array.from({ length: end - start }, (_, i) => `r${start + i}`);
    return tableFromArrays({ value: Float64Array.from(value, (v) => v ?? Number.NaN), label });
  };
  return { calls, fetchRows };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('VirtualTable', () => {
  afterEach(cleanup);

  it('renders a window of rows and fetches only the blocks it shows', async () => {
    const rows = fakeRows();
    const { container } = render(() => (
      <VirtualTable dataset={dataset()} revision={1} fetchRows={rows.fetchRows} onSetType={async () => {}} />
    ));
    await settle();
    expect(rows.calls).toEqual([[0, BLOCK_SIZE]]);
    const rendered = container.querySelectorAll('tr.vt-row');
    expect(rendered.length).toBeGreaterThan(10);
    expect(rendered.length).toBeLessThan(100);
    const first = container.querySelectorAll('tr.vt-row[data-row="0"] td.vt-cell');
    expect(first[0]?.textContent).toBe('null');
    expect(first[0]?.classList.contains('missing')).toBe(true);
    expect(first[1]?.textContent).toBe('r0');
    const second = container.querySelectorAll('tr.vt-row[data-row="1"] td.vt-cell');
    expect(second[0]?.textContent).toBe('0.5');
    expect(second[0]?.classList.contains('numeric')).toBe(true);

    // Scrolling far down fetches the block there, not everything in between.
    const scroller = container.querySelector('.vt-scroll') as HTMLDivElement;
    scroller.scrollTop = 28 * 5000;
    scroller.dispatchEvent(new Event('scroll'));
    await settle();
    expect(rows.calls.length).toBeLessThanOrEqual(3);
    expect(rows.calls.some(([start]) => start === 5000)).toBe(true);
    const cells = container.querySelectorAll('tr.vt-row[data-row="5000"] td.vt-cell');
    expect(cells[1]?.textContent).toBe('r5000');
    expect(container.querySelector('tr.vt-row[data-row="0"]')).toBeNull();
  });

  it('shows types, overrides and missing counts in the header, and refetches on a new revision', async () => {
    const rows = fakeRows();
    const [revision, setRevision] = createSignal(1);
    const changes: string[] = [];
    render(() => (
      <VirtualTable
        dataset={dataset()}
        revision={revision()}
        fetchRows={rows.fetchRows}
        onSetType={async (column, type) => {
          changes.push(`${column}:${type}`);
        }}
      />
    ));
    await settle();
    const select = screen.getByLabelText('Type of label') as HTMLSelectElement;
    expect(select.value).toBe('categorical');
    expect(screen.getByText(/inferred text/)).toBeTruthy();
    expect(screen.getByText('1 missing')).toBeTruthy();
    select.value = 'text';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await settle();
    expect(changes).toEqual(['label:text']);
    const before = rows.calls.length;
    setRevision(2);
    await settle();
    expect(rows.calls.length).toBe(before + 1);
  });
});
