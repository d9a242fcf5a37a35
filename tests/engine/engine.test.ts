import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../src/core/errors';
import { createNodeEngine } from '../../workers/engine.node';
import { inProcessClient } from '../support/engine-harness';
import { engineSuite, exploreSuite, exportSuite, notebookSuite, profileSuite } from './suite';

engineSuite('in-process, Node', () => inProcessClient(createNodeEngine()), { kernels: 'cpu' });
notebookSuite('in-process, Node', () => inProcessClient(createNodeEngine()));
exportSuite('in-process, Node', () => inProcessClient(createNodeEngine()));
profileSuite('in-process, Node', () => inProcessClient(createNodeEngine()));
exploreSuite('in-process, Node', () => inProcessClient(createNodeEngine()));

describe('engine in Node: URLs and limits', () => {
  const server = createServer((req, res) => {
    if (req.url === '/data/people.csv') {
      res.setHeader('content-type', 'text/csv');
      res.end('name,age\nAda,36\nAlan,41\n');
    } else {
      res.statusCode = 404;
      res.end('not here');
    }
  });
  let base = '';
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('loads a CSV from a URL and names the dataset after the file', async () => {
    const engine = createNodeEngine();
    const info = await engine.loadUrl(`${base}/data/people.csv`);
    expect(info.name).toBe('people.csv');
    expect(info.source).toEqual({ kind: 'url', url: `${base}/data/people.csv` });
    expect(info.columns.map((c) => c.type)).toEqual([expect.stringMatching(/text|categorical/), 'integer']);
  });

  it('turns an HTTP error into a NetworkError that names the URL', async () => {
    const engine = createNodeEngine();
    const err = await engine.loadUrl(`${base}/missing.csv`).catch((e: unknown) => e as EngineError);
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).name).toBe('NetworkError');
    expect((err as EngineError).message).toContain('404');
  });

  it('refuses a file larger than the memory budget before reading it', async () => {
    const engine = createNodeEngine({ maxFileBytes: 1000 });
    const err = await engine
      .loadFile(new Blob([new Uint8Array(5000)]), 'huge.csv')
      .catch((e: unknown) => e as EngineError);
    expect((err as EngineError).name).toBe('OutOfMemory');
    expect((err as EngineError).message).toContain('huge.csv');
  });
});
