// @vitest-environment happy-dom
/**
 * The Data tab's column types live in the notebook: a type picked there lands in the bound
 * dataset's notebook (and leaves it when the column is back to its inferred type), so autosave
 * and the share link carry it; a notebook opened on its data applies its types through the
 * engine before its steps run, and says what did not apply instead of failing silently.
 */
import { createRoot } from 'solid-js';
import { unwrap } from 'solid-js/store';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EngineError } from '../../src/core/errors';
import type { ColumnType } from '../../src/core/types';
import type { DatasetInfo } from '../../src/protocol/api';
import { decodeNotebookLink, encodeNotebookLink } from '../../src/spec/link';
import { emptyNotebook, type Notebook } from '../../src/spec/notebook';
import { datasetRefFor } from '../../src/state/dataset-ref';
import { createNotebookStore } from '../../src/state/notebook';
import { createWorkbench } from '../../src/state/workbench';
import { createFakeClient } from './fake-client';
import { createNotebookFakes, runResult } from './notebook-fakes';

function salesInfo(id: string, name = 'sales.csv'): DatasetInfo {
  return {
    id,
    name,
    source: { kind: 'file', name },
    rows: 10,
    columns: [
      { name: 'x', type: 'float', inferredType: 'float', arrowType: 'Float64', missing: 0 },
      { name: 'grade', type: 'integer', inferredType: 'integer', arrowType: 'Int64', missing: 0 },
      { name: 'when', type: 'text', inferredType: 'text', arrowType: 'Utf8', missing: 0 },
    ],
    memoryBytes: 80,
    fileBytes: 40,
    report: { format: 'csv', raggedRows: [], raggedCount: 0, warnings: [], parseMs: 1 },
    fingerprint: `fp-${name}`,
  };
}

/** An engine that re-types columns of the datasets it holds: "%Q" is refused, "%d/%m/%Y" leaves
 * two values that do not fit. */
function typingEngine(datasets: Map<string, DatasetInfo>, calls: string[]) {
  return async (id: string, column: string, type: ColumnType, dateFormat?: string) => {
    calls.push(`${id}:${column}:${type}${dateFormat ? `:${dateFormat}` : ''}`);
    const info = datasets.get(id);
    if (!info) throw new EngineError('NotFound', `No dataset with id "${id}" is loaded.`);
    if (dateFormat === '%Q')
      throw new EngineError('InvalidArgument', 'The date format "%Q" uses %Q, which is not supported.');
    const next: DatasetInfo = {
      ...info,
      columns: info.columns.map((c) => {
        if (c.name !== column) return c;
        const { dateFormat: _old, unfit: _unfit, ...rest } = c;
        return {
          ...rest,
          type,
          ...(dateFormat ? { dateFormat } : {}),
          ...(dateFormat === '%d/%m/%Y' ? { unfit: 2 } : {}),
        };
      }),
    };
    datasets.set(id, next);
    return next;
  };
}

type Setup = {
  wb: ReturnType<typeof createWorkbench>;
  nb: ReturnType<typeof createNotebookStore>;
  fakes: ReturnType<typeof createNotebookFakes>;
  calls: string[];
  add(info: DatasetInfo): void;
};

function withStores(test: (s: Setup) => Promise<void>) {
  return () =>
    createRoot(async (dispose) => {
      const { client } = createFakeClient();
      const datasets = new Map<string, DatasetInfo>();
      const calls: string[] = [];
      client.api.setColumnType = typingEngine(datasets, calls);
      const wb = createWorkbench(client);
      const fakes = createNotebookFakes();
      const nb = createNotebookStore(fakes.client, wb, { debounceMs: 10 });
      const add = (info: DatasetInfo) => {
        datasets.set(info.id, info);
        wb.adopt(info);
        wb.select(info.id);
      };
      try {
        await nb.loadCatalog();
        await test({ wb, nb, fakes, calls, add });
      } finally {
        nb.dispose();
        dispose();
      }
    });
}

const withStep = (nb: Notebook): Notebook => ({
  ...nb,
  steps: [{ id: 's1', step: 'StandardScaler', params: {}, enabled: true }],
});

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('column types in the notebook', () => {
  it(
    'a type picked in the Data tab lands in the notebook, its link and autosave; back to inferred removes it',
    withStores(async ({ wb, nb, add }) => {
      add(salesInfo('ds1'));
      expect(nb.state.datasetId).toBe('ds1');
      expect(nb.state.notebook.columnTypes).toBeUndefined();

      await wb.setColumnType('ds1', 'grade', 'categorical');
      expect(nb.state.notebook.columnTypes).toEqual({ grade: { type: 'categorical' } });
      await wb.setColumnType('ds1', 'when', 'date', '%Y-%m-%d');
      expect(nb.state.notebook.columnTypes).toEqual({
        grade: { type: 'categorical' },
        when: { type: 'date', dateFormat: '%Y-%m-%d' },
      });
      const saved = nb.persisted().notebooks.find((n) => n.dataset?.kind === 'file');
      expect(saved?.columnTypes?.grade).toEqual({ type: 'categorical' });
      const opened = await decodeNotebookLink(await encodeNotebookLink(unwrap(nb.state.notebook)));
      expect(opened.ok && opened.notebook.columnTypes).toEqual(nb.state.notebook.columnTypes);

      await wb.setColumnType('ds1', 'grade', 'integer');
      expect(nb.state.notebook.columnTypes).toEqual({ when: { type: 'date', dateFormat: '%Y-%m-%d' } });
      await wb.setColumnType('ds1', 'when', 'text');
      expect(nb.state.notebook.columnTypes).toBeUndefined();
      expect(nb.persisted().notebooks[0]?.columnTypes).toBeUndefined();
      // Types follow the data, not the undo history.
      expect(nb.canUndo()).toBe(false);
    }),
  );

  it(
    'a notebook opened on its data applies its types through the engine before its steps run',
    withStores(async ({ wb, nb, fakes, calls, add }) => {
      const info = salesInfo('ds1');
      add(info);
      await vi.advanceTimersByTimeAsync(20);
      const link: Notebook = withStep({
        ...emptyNotebook(),
        dataset: datasetRefFor(info),
        columnTypes: { grade: { type: 'categorical' }, when: { type: 'date', dateFormat: '%Y-%m-%d' } },
      });
      nb.replace(link);
      expect(fakes.runs).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(20);
      expect(calls).toEqual(['ds1:grade:categorical', 'ds1:when:date:%Y-%m-%d']);
      expect(wb.state.datasets[0]?.columns.map((c) => c.type)).toEqual(['float', 'categorical', 'date']);
      // One run, after the types, with them in its notebook.
      expect(fakes.runs).toHaveLength(1);
      expect(fakes.runs[0]?.notebook.columnTypes?.grade).toEqual({ type: 'categorical' });
      expect(nb.state.warning).toBeNull();
      fakes.runs[0]!.resolve(runResult('ds1', fakes.runs[0]!.notebook));

      // Opened again: the data already has them, so nothing is re-typed.
      nb.replace(link);
      await vi.advanceTimersByTimeAsync(20);
      expect(calls).toHaveLength(2);
    }),
  );

  it(
    'a link to a file waits for it; once the file is loaded its types are applied, then the steps run',
    withStores(async ({ wb, nb, fakes, calls, add }) => {
      const info = salesInfo('ds1');
      nb.replace(
        withStep({
          ...emptyNotebook(),
          dataset: datasetRefFor(info),
          columnTypes: { grade: { type: 'text' } },
        }),
      );
      expect(nb.state.pending?.kind).toBe('file');
      add(info);
      await vi.advanceTimersByTimeAsync(20);
      expect(calls).toEqual(['ds1:grade:text']);
      expect(wb.state.datasets[0]?.columns[1]?.type).toBe('text');
      expect(fakes.runs).toHaveLength(1);
      expect(nb.state.notebook.columnTypes).toEqual({ grade: { type: 'text' } });
    }),
  );

  it(
    'what does not apply is said above the steps; the user keeps what they had',
    withStores(async ({ wb, nb, calls, add }) => {
      const info = salesInfo('ds1');
      add(info);
      // The user's own choice on this data, made before the link arrived.
      await wb.setColumnType('ds1', 'x', 'integer');
      nb.replace({
        ...emptyNotebook(),
        dataset: datasetRefFor(info),
        columnTypes: {
          grade: { type: 'date', dateFormat: '%Q' },
          when: { type: 'date', dateFormat: '%d/%m/%Y' },
        },
      });
      await vi.advanceTimersByTimeAsync(20);
      expect(calls).toContain('ds1:grade:date:%Q');
      const warning = nb.state.warning ?? '';
      expect(warning).toContain(
        'The notebook reads "grade" as date, format %Q, which sales.csv refused (The date format "%Q" uses %Q, which is not supported); the column stays integer',
      );
      expect(warning).toContain('but 2 values here did not fit and are missing');
      expect(warning).toContain('Kept the types you chose here for "x" (integer)');
      // The refused type is dropped; the user's is recorded; the misfit format stays (it applied).
      expect(nb.state.notebook.columnTypes).toEqual({
        when: { type: 'date', dateFormat: '%d/%m/%Y' },
        x: { type: 'integer' },
      });
      expect(wb.state.datasets[0]?.columns.map((c) => c.type)).toEqual(['integer', 'integer', 'date']);
      // No notice pops up for it: the warning is the one place.
      expect(wb.state.notices).toHaveLength(0);
    }),
  );

  it(
    '"Apply to…" another dataset applies the types it can and names the columns it lacks',
    withStores(async ({ wb, nb, calls, add }) => {
      add(salesInfo('ds1'));
      await wb.setColumnType('ds1', 'grade', 'categorical');
      await wb.setColumnType('ds1', 'when', 'date', '%Y-%m-%d');
      const other = salesInfo('ds2', 'other.csv');
      other.columns = other.columns.filter((c) => c.name !== 'when');
      add(other);
      wb.select('ds1');
      const fit = nb.applyTo('ds2');
      expect(fit?.typesMissing).toEqual(['when']);
      await vi.advanceTimersByTimeAsync(20);
      expect(nb.state.datasetId).toBe('ds2');
      expect(calls.at(-1)).toBe('ds2:grade:categorical');
      expect(nb.state.warning).toContain(
        'The notebook sets the type of "when" (date, format %Y-%m-%d), which other.csv does not have; those types are left out.',
      );
      expect(nb.state.notebook.columnTypes).toEqual({ grade: { type: 'categorical' } });
      expect(wb.state.datasets.find((d) => d.id === 'ds2')?.columns[1]?.type).toBe('categorical');
    }),
  );
});
