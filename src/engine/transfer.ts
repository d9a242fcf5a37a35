/**
 * comlink serialises thrown errors as {message, name, stack} and loses our `detail`. This wraps
 * its "throw" handler on both sides so that an EngineError arrives as an EngineError.
 */
import { type TransferHandler, transferHandlers } from 'comlink';
import { deserializeError, type SerializedError, serializeError } from './errors';

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
}
