// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@solidjs/testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { StepInfo } from '../../src/protocol/api';
import { groupSteps } from '../../src/ui/notebook/categories';
import { NotebookContext } from '../../src/ui/notebook/context';
import { formatDiff } from '../../src/ui/notebook/diff';
import { ParamForm } from '../../src/ui/notebook/ParamForm';
import { columnChoices, parseNumberInput, parseRangeInput } from '../../src/ui/notebook/params';
import { irisInfo } from '../state/notebook-fakes';

afterEach(cleanup);

const INFO: StepInfo = {
  name: 'PCA',
  kind: 'transform',
  description: 'Projects.',
  category: 'Dimensionality reduction',
  params: {
    n_components: { type: 'integer', default: null, min: 1, description: 'Components to keep.' },
    feature_range: { type: 'range', default: [0, 1], description: 'Range.' },
    svd_solver: { type: 'enum', options: ['auto', 'full'], default: 'auto', description: 'Solver.' },
    columns: { type: 'columns', default: null, description: 'Columns.' },
  },
  accepts: ['float'],
  missing: 'rejects',
};

describe('parameter inputs', () => {
  it('checks numbers against type and bounds; empty means null only when the default is null', () => {
    const int = { type: 'integer' as const, default: null, min: 1, description: '' };
    expect(parseNumberInput(int, '3')).toEqual({ ok: true, value: 3 });
    expect(parseNumberInput(int, '')).toEqual({ ok: true, value: null });
    expect(parseNumberInput(int, '2.5')).toEqual({ ok: false, message: 'Enter a whole number.' });
    expect(parseNumberInput(int, '0')).toEqual({ ok: false, message: 'Must be at least 1.' });
    expect(parseNumberInput({ ...int, default: 5 }, ' ')).toEqual({ ok: false, message: 'Enter a number.' });
    expect(parseNumberInput({ type: 'number', default: 1, max: 2, description: '' }, '1e9').ok).toBe(false);
  });

  it('checks ranges: two numbers, low below high', () => {
    const r = { type: 'range' as const, default: [0, 1] as const, description: '' };
    expect(parseRangeInput(r, '-1', '1')).toEqual({ ok: true, value: [-1, 1] });
    expect(parseRangeInput(r, '2', '1').ok).toBe(false);
    expect(parseRangeInput(r, '', '1').ok).toBe(false);
  });

  it('offers only the columns of accepted types', () => {
    expect(columnChoices(irisInfo().columns, ['float'])).toEqual(['x']);
    expect(columnChoices(irisInfo().columns, ['text'])).toEqual([]);
  });

  it('formats the quality diff of a step', () => {
    const text = formatDiff({
      rowsBefore: 150,
      rowsAfter: 150,
      columnsBefore: 7,
      columnsAfter: 11,
      added: [],
      removed: [],
      missingBefore: 38,
      missingAfter: 0,
      ranges: [
        { column: 'sepal length', before: [4.3, 7.9], after: [-1.870024, 2.4920192] },
        { column: 'a', before: null, after: [0, 1] },
        { column: 'b', before: [0, 1], after: [0, 2] },
      ],
    });
    expect(text).toBe(
      '150 → 150 rows · 7 → 11 cols (+4) · missing 38 → 0 · ranges: sepal length [4.3, 7.9] → [-1.87, 2.49], a (new) [0, 1] (+1 more)',
    );
  });

  it('groups the catalog for the picker and filters by search', () => {
    const { category: _, ...uncategorised } = INFO;
    const other = { ...uncategorised, name: 'BrandNewStep', kind: 'filter' as const, description: 'New.' };
    const groups = groupSteps([INFO, other]);
    expect(groups.map((g) => g.title)).toEqual(['Dimensionality reduction', 'Other filters']);
    expect(groupSteps([INFO, other], 'brand').map((g) => g.steps.map((s) => s.name))).toEqual([
      ['BrandNewStep'],
    ]);
  });
});

describe('ParamForm', () => {
  it('sends valid values, keeps invalid ones in the field with a message', async () => {
    const calls: unknown[][] = [];
    const store = {
      setParam: (...args: unknown[]) => calls.push(['param', ...args]),
      setColumns: (...args: unknown[]) => calls.push(['columns', ...args]),
    };
    render(() => (
      <NotebookContext.Provider value={store as never}>
        <ParamForm
          spec={{ id: 's1', step: 'PCA', params: {}, enabled: true }}
          info={INFO}
          columns={irisInfo().columns}
        />
      </NotebookContext.Provider>
    ));
    const n = screen.getByLabelText('n_components') as HTMLInputElement;
    fireEvent.input(n, { target: { value: '0' } });
    expect(screen.getByRole('alert').textContent).toBe('Must be at least 1.');
    expect(calls).toEqual([]);
    fireEvent.input(n, { target: { value: '2' } });
    expect(screen.queryByRole('alert')).toBeNull();
    expect(calls).toEqual([['param', 's1', 'n_components', 2]]);
    fireEvent.change(screen.getByLabelText('svd_solver'), { target: { value: 'full' } });
    expect(calls.at(-1)).toEqual(['param', 's1', 'svd_solver', 'full']);
    // Only the float column is offered; ticking it sets the step's columns.
    expect(screen.queryByRole('checkbox', { name: 'target' })).toBeNull();
    fireEvent.click(screen.getByRole('checkbox', { name: 'x' }));
    expect(calls.at(-1)).toEqual(['columns', 's1', ['x']]);
    expect(screen.getByText('Components to keep.')).toBeTruthy();
  });
});
