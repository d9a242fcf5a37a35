/**
 * comlink serialises thrown errors as {message, name, stack} and loses our `detail`. This wraps
 * its "throw" handler on both sides so that an EngineError arrives as an EngineError.
 */
import { expose, releaseProxy, type TransferHandler, transferHandlers, wrap } from 'comlink';
import { deserializeError, type SerializedError, serializeError } from '../core/errors';
import type { JobOptions, Progress } from './api';

let installed = false;

export function installErrorTransfer(): void {
  if (installed) return;
  installed = true;
  const original = transferHandlers.get('throw') as TransferHandler<{ value: unknown }, unknown>;
  const handler: TransferHandler<{ value: unknown }, SerializedError> = {
    // comlink marks thrown values with a private symbol; its own handler knows how to recognise them.
    canHandle: (value: unknown): value is { value: unknown } => original.canHandle(value),
    serialize: (wrapped) => [serializeError(wrapped.value), []],
    deserialize: (serialized) => {
      throw deserializeError(serialized);
    },
  };
  transferHandlers.set('throw', handler as TransferHandler<unknown, unknown>);
  transferHandlers.set('job', jobHandler as TransferHandler<unknown, unknown>);
}

/**
 * comlink only proxies *top-level* arguments marked with proxy(); a callback nested in an object
 * (JobOptions.onProgress) would be structured-cloned and postMessage throws DataCloneError. This
 * handler sends a job's onProgress over its own MessagePort, like comlink's proxy handler does.
 * The worker calls `release()` when the job ends: comlink's release message closes both ends of
 * the port (one channel per job would otherwise stay open for the page's life).
 */
export const jobHandler: TransferHandler<JobOptions, { id: string; port: MessagePort }> = {
  canHandle: (value: unknown): value is JobOptions =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as JobOptions).id === 'string' &&
    typeof (value as JobOptions).onProgress === 'function',
  serialize: (job) => {
    const { port1, port2 } = new MessageChannel();
    expose(job.onProgress, port1);
    return [{ id: job.id, port: port2 }, [port2]];
  },
  deserialize: ({ id, port }) => {
    const remote = wrap<(p: Progress) => void>(port);
    let released = false;
    return {
      id,
      onProgress: (p: Progress) => {
        if (!released) void remote(p).catch(() => undefined);
      },
      release: () => {
        if (released) return;
        released = true;
        remote[releaseProxy]();
      },
    };
  },
};
