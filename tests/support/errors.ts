import { EngineError } from '../../src/core/errors';

/** The EngineError a promise rejects with (fails the test when it resolves). */
export async function rejection(p: Promise<unknown>): Promise<EngineError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof EngineError) return e;
    throw new Error(`expected an EngineError, got ${String(e)}`);
  }
  throw new Error('expected a rejection');
}
