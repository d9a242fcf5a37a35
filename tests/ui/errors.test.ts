import { describe, expect, it } from 'vitest';
import { ENGINE_ERROR_NAMES } from '../../src/core/errors';
import { errorLocation, errorTitle } from '../../src/ui/errors/titles';
import { describeEmbeddingRun } from '../../src/ui/explore/embedding-note';
import { formatBytes, formatCell } from '../../src/ui/format';
import { backendLabel } from '../../src/ui/statusbar/backend';

describe('errorTitle', () => {
  it('maps engine error names to friendly titles', () => {
    expect(errorTitle('ParseError')).toBe('Could not parse the file');
    expect(errorTitle('EmptyFile')).toBe('The file is empty');
    expect(errorTitle('OutOfMemory')).toBe('Not enough memory');
  });

  it('has a distinct title for every known name and a fallback for unknown ones', () => {
    const titles = ENGINE_ERROR_NAMES.map(errorTitle);
    expect(new Set(titles).size).toBe(ENGINE_ERROR_NAMES.length);
    expect(errorTitle('SomethingNew')).toBe(errorTitle('InternalError'));
  });

  it('describes where an error happened', () => {
    expect(errorLocation({ file: 'a.csv', line: 4, column: 2 })).toBe('line 4, column 2 of a.csv');
    expect(errorLocation({ file: 'a.csv' })).toBe('a.csv');
    expect(errorLocation({})).toBeNull();
  });
});

describe('backendLabel', () => {
  const adapter = {
    vendor: 'google',
    architecture: 'swiftshader',
    device: '',
    description: '',
    isFallbackAdapter: true,
    maxStorageBufferBindingSize: 2 ** 30,
    maxBufferSize: 2 ** 30,
  };
  it('names the WebGPU adapter and says when it is a fallback', () => {
    const label = backendLabel(
      { kernels: 'webgpu', tfjs: 'webgpu', adapter, fallbacks: [], deviceLosses: 0 },
      null,
    );
    expect(label).toBe('WebGPU · google swiftshader (fallback adapter)');
  });
  it('says why WebGPU was not used', () => {
    const label = backendLabel(
      {
        kernels: 'cpu',
        tfjs: 'wasm',
        adapter: null,
        fallbacks: [{ backend: 'webgpu', reason: 'no adapter' }],
        deviceLosses: 0,
      },
      null,
    );
    expect(label).toBe('CPU (WebGPU unavailable: no adapter)');
  });
});

describe('formatCell', () => {
  it('marks missing values, right-aligns numbers and writes dates as ISO', () => {
    expect(formatCell(null, 'float')).toMatchObject({ missing: true });
    expect(formatCell(Number.NaN, 'float')).toMatchObject({ missing: true });
    expect(formatCell(5.1, 'float')).toEqual({ text: '5.1', missing: false, numeric: true });
    expect(formatCell(1 / 3, 'float').text).toBe('0.3333333');
    expect(formatCell(3, 'float').text).toBe('3.0');
    expect(formatCell(3, 'integer').text).toBe('3');
    expect(formatCell(12n, 'integer')).toEqual({ text: '12', missing: false, numeric: true });
    expect(formatCell(Date.UTC(2024, 1, 29), 'date').text).toBe('2024-02-29');
    expect(formatCell(Date.UTC(2024, 1, 29, 13, 5), 'datetime').text).toBe('2024-02-29T13:05:00Z');
    expect(formatCell('setosa', 'categorical')).toEqual({ text: 'setosa', missing: false, numeric: false });
  });
  it('formats sizes', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(5 * 2 ** 20)).toBe('5.0 MB');
  });
});

describe('describeEmbeddingRun', () => {
  const base = { columns: ['a', 'b'], x: new Float32Array(1797), y: new Float32Array(1797) };
  it('says what a t-SNE/UMAP ran on, how long it took and why', () => {
    expect(
      describeEmbeddingRun({
        ...base,
        method: 'umap',
        ran: { device: 'cpu', threads: 4, why: 'no WebGPU device', seconds: 2.345 },
      }),
    ).toBe(
      'UMAP of 1,797 rows in 2.3 s on the CPU (4 threads: no WebGPU device). Same seed, same picture; lasso points to select them.',
    );
    expect(
      describeEmbeddingRun({
        ...base,
        method: 'tsne',
        ran: { device: 'webgpu', threads: 1, why: 'WebGPU (nvidia ampere)', seconds: 0.5 },
      }),
    ).toMatch(/^t-SNE of 1,797 rows in 0\.5 s on WebGPU \(nvidia ampere\)\./);
    expect(
      describeEmbeddingRun({
        ...base,
        method: 'tsne',
        ran: { device: 'cpu', threads: 1, why: 'CPU chosen', seconds: 1 },
      }),
    ).toContain('(1 thread: CPU chosen)');
    expect(describeEmbeddingRun({ ...base, method: 'pca', explained: [0.5, 0.2] })).toBeNull();
  });
});
