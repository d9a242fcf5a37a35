// @vitest-environment happy-dom
import { createRoot } from 'solid-js';
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../src/core/errors';
import { createWorkbench } from '../../src/state/workbench';
import { createFakeClient, datasetInfo } from './fake-client';

function withWorkbench(
  test: (wb: ReturnType<typeof createWorkbench>, fake: ReturnType<typeof createFakeClient>) => Promise<void>,
) {
  return () =>
    createRoot(async (dispose) => {
      const fake = createFakeClient();
      try {
        await test(createWorkbench(fake.client), fake);
      } finally {
        dispose();
      }
    });
}

const file = (name: string) => new File(['x\n1\n'], name, { type: 'text/csv' });

describe('createWorkbench', () => {
  it(
    'lists and selects a dataset when a load succeeds, and tracks the job meanwhile',
    withWorkbench(async (wb, fake) => {
      expect(wb.galleryOpen()).toBe(true);
      const loading = wb.loadSample('iris');
      expect(wb.state.jobs).toHaveLength(1);
      expect(wb.state.jobs[0]?.label).toContain('iris');
      fake.pending[0]?.job.onProgress?.({ fraction: 0.5, phase: 'Parsing' });
      expect(wb.state.jobs[0]?.progress).toEqual({ fraction: 0.5, phase: 'Parsing' });
      fake.pending[0]?.resolve(datasetInfo('iris', 150));
      await loading;
      expect(wb.state.datasets.map((d) => d.id)).toEqual(['iris']);
      expect(wb.selected()?.rows).toBe(150);
      expect(wb.state.jobs).toHaveLength(0);
      expect(wb.galleryOpen()).toBe(false);
      expect(wb.memoryBytes()).toBe(150 * 8);
      expect(wb.canReload('iris')).toBe(false);
    }),
  );

  it(
    'records a failed load and keeps the previous dataset selected',
    withWorkbench(async (wb, fake) => {
      const first = wb.loadFiles([file('good.csv')]);
      fake.pending[0]?.resolve(datasetInfo('good'));
      await first;
      const second = wb.loadFiles([file('broken.csv')]);
      fake.pending[1]?.reject(
        new EngineError('ParseError', 'broken.csv line 3: unbalanced quote', { file: 'broken.csv', line: 3 }),
      );
      await second;
      expect(wb.state.datasets.map((d) => d.id)).toEqual(['good']);
      expect(wb.state.selectedId).toBe('good');
      expect(wb.state.jobs).toHaveLength(0);
      expect(wb.state.notices).toHaveLength(1);
      const notice = wb.state.notices[0]!;
      expect(notice.kind).toBe('error');
      expect(notice.error.name).toBe('ParseError');
      expect(notice.error.detail.line).toBe(3);
      expect(notice.action).toContain('broken.csv');
      wb.dismiss(notice.id);
      expect(wb.state.notices).toHaveLength(0);
    }),
  );

  it(
    'clears a cancelled job, notes the cancellation and leaves the data alone',
    withWorkbench(async (wb, fake) => {
      const first = wb.loadSample('wine');
      fake.pending[0]?.resolve(datasetInfo('wine'));
      await first;
      const synthetic = wb.generateSynthetic({ rows: 1_000_000, seed: 1 });
      expect(wb.state.jobs).toHaveLength(1);
      wb.state.jobs[0]?.cancel();
      expect(await synthetic).toBeNull();
      expect(fake.cancelled).toEqual(['job-2']);
      expect(wb.state.jobs).toHaveLength(0);
      expect(wb.state.notices.map((n) => n.kind)).toEqual(['cancelled']);
      expect(wb.state.datasets.map((d) => d.id)).toEqual(['wine']);
      expect(wb.state.selectedId).toBe('wine');
    }),
  );

  it(
    'bumps the revision when a column is re-typed and selects the neighbour when one is removed',
    withWorkbench(async (wb, fake) => {
      const loads = wb.loadFiles([file('a.csv'), file('b.csv')]);
      fake.pending[0]?.resolve(datasetInfo('a'));
      await Promise.resolve();
      await new Promise((r) => setTimeout(r, 0));
      fake.pending[1]?.resolve(datasetInfo('b'));
      await loads;
      expect(wb.state.selectedId).toBe('b');
      const before = wb.revision('a');
      await wb.setColumnType('a', 'x', 'text');
      expect(wb.revision('a')).toBe(before + 1);
      expect(wb.state.datasets[0]?.columns[0]?.type).toBe('text');
      await wb.remove('b');
      expect(wb.state.datasets.map((d) => d.id)).toEqual(['a']);
      expect(wb.state.selectedId).toBe('a');
    }),
  );

  it(
    'reloads a file with other options and replaces the dataset only when that succeeds',
    withWorkbench(async (wb, fake) => {
      const first = wb.loadFiles([file('data.csv')]);
      fake.pending[0]?.resolve(datasetInfo('v1'));
      await first;
      expect(wb.canReload('v1')).toBe(true);

      const failing = wb.reload('v1', { header: false });
      fake.pending[1]?.reject(new EngineError('ParseError', 'data.csv line 2: bad'));
      expect(await failing).toBeNull();
      expect(wb.state.datasets.map((d) => d.id)).toEqual(['v1']);
      expect(wb.state.selectedId).toBe('v1');

      const ok = wb.reload('v1', { header: false });
      await Promise.resolve();
      fake.pending[2]?.resolve(datasetInfo('v2', 4));
      await ok;
      expect(wb.state.datasets.map((d) => d.id)).toEqual(['v2']);
      expect(wb.state.selectedId).toBe('v2');
      expect(wb.canReload('v2')).toBe(true);
      expect(fake.loadOptions).toEqual([undefined, { header: false }, { header: false }]);
      expect(wb.canReload('v1')).toBe(false);
    }),
  );
});
