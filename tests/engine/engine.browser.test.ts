/**
 * The engine through the real module worker and comlink, in Chromium with WebGPU: the same suite
 * as in Node, plus what only the worker boundary can show (transferred buffers, named errors).
 */
import { describe, expect, it } from 'vitest';
import { EngineError } from '../../src/core/errors';
import { createEngineClient, type EngineClient } from '../../src/state/client';
import type { TestClient } from '../support/engine-harness';
import { engineSuite, exploreSuite, exportSuite, notebookSuite, profileSuite } from './suite';
import { trainSuite } from './train-suite';

function workerClient(): EngineClient {
  // vitest serves public/ at the root, so samples resolve against the origin.
  const worker = new Worker(new URL('../../workers/engine.worker.ts', import.meta.url), {
    type: 'module',
    name: `${location.origin}/`,
  });
  return createEngineClient(worker);
}

const shared = workerClient();
engineSuite('through the worker, Chromium', () => shared as unknown as TestClient, { kernels: 'webgpu' });
notebookSuite('through the worker, Chromium', () => shared as unknown as TestClient);
exportSuite('through the worker, Chromium', () => shared as unknown as TestClient);
profileSuite('through the worker, Chromium', () => shared as unknown as TestClient);
exploreSuite('through the worker, Chromium', () => shared as unknown as TestClient);
trainSuite('through the worker, Chromium', () => shared as unknown as TestClient);

describe('worker boundary', () => {
  it('transfers row windows instead of cloning them and keeps error detail', async () => {
    const client = workerClient();
    const info = await client.api.loadSample('wine');
    const bytes = await client.api.rows(info.id, 0, 50);
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(bytes.byteOffset).toBe(0);
    expect(bytes.byteLength).toBe(bytes.buffer.byteLength);
    const err = await client.api.loadBytes(new TextEncoder().encode('x,y\n"1,2\n'), 'q.csv').then(
      () => null,
      (e: unknown) => e as EngineError,
    );
    expect(err).toBeInstanceOf(EngineError);
    expect(err?.name).toBe('ParseError');
    expect(err?.detail.line).toBe(2);
    expect(err?.detail.file).toBe('q.csv');
    client.terminate();
  });
});
