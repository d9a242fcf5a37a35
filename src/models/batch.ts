/**
 * Several copies of an iterative optimiser in lockstep: each copy runs its own code (its own line
 * search, stopping rule and progress), but whenever it needs its objective it submits a request
 * and waits; once every copy still running is waiting, all requests are evaluated in ONE batched
 * call (e.g. one matMul of X with the K weight matrices side by side) and the copies resume. A
 * copy that stops early simply leaves the batch. Each copy sees exactly the numbers it would see
 * alone, except for whatever rounding the batched evaluation itself changes.
 */

/** Evaluates a batch of requests (in the order given) and returns one result per request. */
export type BatchEvaluate<Req, Res> = (requests: readonly Req[]) => Promise<Res[]> | Res[];

/** One weight vector of a batched loss evaluation: its gradient goes to `grad`. */
export interface LossRequest {
  w: Float64Array;
  grad: Float64Array;
  /** Strength of the ½·l2·‖W‖² term (sklearn: (1 − l1_ratio)/(C·n)); intercepts are not penalised. */
  l2: number;
}

/** Loss of each request, gradients written in place, all requests evaluated in one pass. */
export type BatchLoss = BatchEvaluate<LossRequest, number>;

interface Pending<Req, Res> {
  request: Req;
  resolve(result: Res): void;
  reject(error: unknown): void;
}

export async function lockstep<Req, Res, T>(
  count: number,
  evaluate: BatchEvaluate<Req, Res>,
  run: (submit: (request: Req) => Promise<Res>, index: number) => Promise<T>,
): Promise<T[]> {
  let live = count;
  let pending: Pending<Req, Res>[] = [];
  let failure: { error: unknown } | null = null;

  const rejectPending = (error: unknown) => {
    const waiting = pending;
    pending = [];
    for (const p of waiting) p.reject(error);
  };
  const flushWhenAllWait = () => {
    if (pending.length === 0 || pending.length < live) return;
    const batch = pending;
    pending = [];
    Promise.resolve()
      .then(() => evaluate(batch.map((p) => p.request)))
      .then(
        (results) => {
          batch.forEach((p, i) => {
            p.resolve(results[i]!);
          });
        },
        (error: unknown) => {
          failure ??= { error };
          for (const p of batch) p.reject(error);
        },
      );
  };
  const submit = (request: Req): Promise<Res> => {
    if (failure) return Promise.reject(failure.error);
    return new Promise<Res>((resolve, reject) => {
      pending.push({ request, resolve, reject });
      flushWhenAllWait();
    });
  };
  const runs = Array.from({ length: count }, (_, index) =>
    run(submit, index).then(
      (value) => {
        live--;
        flushWhenAllWait();
        return value;
      },
      (error: unknown) => {
        live--;
        // One copy failing (divergence, cancellation) fails the batch, as it would fail a sequential
        // loop: the other copies get the error at their next evaluation instead of running on.
        failure ??= { error };
        rejectPending(failure.error);
        throw error;
      },
    ),
  );
  return Promise.all(runs);
}
