/**
 * The job transfer handler: a job's onProgress crosses as its own MessagePort, progress arrives,
 * and release() (called by the engine when the job ends) closes the channel on both sides.
 */
import { describe, expect, it } from 'vitest';
import type { Progress } from '../../src/protocol/api';
import { jobHandler } from '../../src/protocol/transfer';

describe('job progress channel', () => {
  it('delivers progress, then closes both ports on release', async () => {
    const seen: Progress[] = [];
    const [wire, transfers] = jobHandler.serialize({ id: 'j1', onProgress: (p) => seen.push(p) });
    expect(transfers).toEqual([wire.port]);
    const job = jobHandler.deserialize(wire);
    expect(job.id).toBe('j1');
    job.onProgress?.({ phase: 'Reading', fraction: 0.5 });
    await expect.poll(() => seen.length).toBe(1);
    expect(seen[0]).toEqual({ phase: 'Reading', fraction: 0.5 });

    const closed = new Promise<void>((resolve) =>
      (wire.port as unknown as NodeJS.EventEmitter).once('close', resolve),
    );
    job.release?.();
    await closed;
    // Late progress after the job ended is dropped, not thrown.
    expect(() => job.onProgress?.({ phase: 'late', fraction: 1 })).not.toThrow();
    job.release?.();
    expect(seen).toHaveLength(1);
  });
});
