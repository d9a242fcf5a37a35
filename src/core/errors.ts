/**
 * Errors that cross the worker boundary. Each has a `name` the UI maps to a helpful message and a
 * `detail` with structured facts (file, line, column, sizes). They are plain data on the wire:
 * see `serializeError` / `deserializeError`, used by the comlink transfer handler on both sides.
 */
export const ENGINE_ERROR_NAMES = [
  'ParseError',
  'EmptyFile',
  'EncodingError',
  'UnsupportedFormat',
  'SchemaError',
  'OutOfMemory',
  'GpuUnavailable',
  'NetworkError',
  'NotFound',
  'Cancelled',
  'InvalidArgument',
  'InternalError',
] as const;
export type EngineErrorName = (typeof ENGINE_ERROR_NAMES)[number];

export interface ErrorDetail {
  file?: string;
  line?: number;
  column?: number;
  /** What the user can do about it, one sentence. */
  hint?: string;
  [key: string]: unknown;
}

export class EngineError extends Error {
  override readonly name: EngineErrorName;
  readonly detail: ErrorDetail;
  constructor(name: EngineErrorName, message: string, detail: ErrorDetail = {}) {
    super(message);
    this.name = name;
    this.detail = detail;
  }
}

export interface SerializedError {
  name: EngineErrorName;
  message: string;
  detail: ErrorDetail;
}

export function isEngineError(e: unknown): e is EngineError {
  return e instanceof EngineError;
}

/** Any thrown value → a named error. Unknown errors become InternalError, RangeError from a
 * failed allocation becomes OutOfMemory, AbortError becomes Cancelled. */
export function toEngineError(e: unknown): EngineError {
  if (e instanceof EngineError) return e;
  if (e instanceof Error) {
    if (e.name === 'AbortError') return new EngineError('Cancelled', 'The job was cancelled.');
    if (e instanceof RangeError && /allocation|Array buffer|Invalid array length|memory/i.test(e.message)) {
      return new EngineError('OutOfMemory', `Not enough memory: ${e.message}`, {
        hint: 'Close other datasets or tabs, or load a smaller file.',
      });
    }
    if ((ENGINE_ERROR_NAMES as readonly string[]).includes(e.name)) {
      return new EngineError(
        e.name as EngineErrorName,
        e.message,
        (e as { detail?: ErrorDetail }).detail ?? {},
      );
    }
    return new EngineError('InternalError', e.message || String(e));
  }
  return new EngineError('InternalError', String(e));
}

export function serializeError(e: unknown): SerializedError {
  const err = toEngineError(e);
  return { name: err.name, message: err.message, detail: { ...err.detail } };
}

export function deserializeError(s: SerializedError): EngineError {
  return new EngineError(s.name, s.message, s.detail);
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new EngineError('Cancelled', 'The job was cancelled.');
}
