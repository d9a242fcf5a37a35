/**
 * t-SNE and UMAP on all 1,797 rows of digits in the browser, the way the Explore tab runs them
 * (`embed(X, n, d, { method, seed: 0 }, compute)` with the page's WebGPU compute), with their
 * trustworthiness (k = 10) within 0.01 of the reference numbers: scikit-learn 1.2.1's TSNE and
 * umap-js 1.4.0 (tests/fixtures/sklearn/embedding, where their sources are noted). Here WebGPU is
 * SwiftShader, so embedPlan sends both to the CPU path; the GPU kernels are compared with their
 * references in tests/gpu.
 */
import { describe, expect, it } from 'vitest';
import digitsCsv from '../../public/samples/digits.csv?raw';
import { isSoftwareAdapter } from '../../src/gpu/adapter';
import { initCompute } from '../../src/gpu/device';
import { type EmbedPlan, embed } from '../../src/models/embedding/embed';
import { trustworthiness } from '../../src/models/embedding/trustworthiness';
import embeddingFixture from '../fixtures/sklearn/embedding/embedding.json';
import umapReference from '../fixtures/sklearn/embedding/umap-reference.json';

const lines = digitsCsv.trim().split('\n').slice(1);
const n = lines.length;
const d = 64;
const X = Float32Array.from(lines.flatMap((l) => l.split(',').slice(0, d).map(Number)));

describe('digits in the browser', () => {
  it.each([
    ['tsne', embeddingFixture.tsne.digits.mean],
    ['umap', umapReference.mean],
  ] as const)(
    '%s on all rows is within 0.01 of the reference trustworthiness',
    async (method, reference) => {
      expect(n).toBe(1797);
      const compute = await initCompute();
      // The CPU path on a software adapter (this machine) or none; on a real GPU the kernels.
      const gpuPath = compute.gpu !== null && !isSoftwareAdapter(compute.info().adapter);
      const plans: EmbedPlan[] = [];
      const Y = await embed(X, n, d, { method, seed: 0 }, compute, { onPlan: (p) => plans.push(p) });
      compute.dispose();
      expect(plans).toHaveLength(1);
      expect(plans[0]!.device).toBe(gpuPath ? 'webgpu' : 'cpu');
      const ours = trustworthiness(X, Y, n, d, 2, 10);
      expect(reference).toBeGreaterThan(0.98);
      expect(Math.abs(ours - reference), `ours ${ours}, reference ${reference}`).toBeLessThan(0.01);
    },
    600_000,
  );
});
