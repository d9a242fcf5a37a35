/** A failure as a store keeps it for the UI: the engine error's name, message and what to do. */
import { toEngineError } from '../core/errors';

export interface Failure {
  name: string;
  message: string;
  hint?: string;
}

export function failure(e: unknown): Failure {
  const err = toEngineError(e);
  return { name: err.name, message: err.message, ...(err.detail.hint ? { hint: err.detail.hint } : {}) };
}
