/**
 * One Explore panel's request to the engine, mosaic-style: the panel's inputs are a key; the
 * request follows the key, the answer to a superseded key is dropped (a job behind it is
 * cancelled), and the last answer stays available while the next one loads so a chart does not
 * flash empty. The key is compared as JSON, so it must be plain data (strings, numbers, arrays).
 */
import { batch, createEffect, createMemo, createSignal, onCleanup, untrack } from 'solid-js';
import { toEngineError } from '../core/errors';
import type { Job } from './client';
import type { FetchStatus } from './profile';

export interface Request<T> {
  /** The answer for the current key (null while it loads, after an error, or without a key). */
  value(): T | null;
  /** The last answer for any key: what a chart shows while its next answer loads. */
  latest(): T | null;
  status(): FetchStatus | null;
  loading(): boolean;
  /** What went wrong, as a sentence for the panel. */
  error(): string | null;
  /** The running job (for its progress), when the request is one. */
  jobId(): string | null;
  /**
   * Requests now and whenever the key changes, until the calling owner (the panel showing the
   * answer) is disposed; a request still running then is cancelled.
   */
  follow(): void;
  /** Asks again for the current key (Try again after an error or a cancel). */
  refetch(): void;
}

interface Answer<T> {
  key: string;
  value: T;
}

function isJob<T>(x: Promise<T> | Job<T>): x is Job<T> {
  return typeof (x as Job<T>).cancel === 'function' && 'promise' in x;
}

/** `fetch` returns the answer's promise, or a job when the call is long (then it can be cancelled). */
export function createRequest<K, T>(key: () => K | null, fetch: (key: K) => Promise<T> | Job<T>): Request<T> {
  const keyText = createMemo(() => {
    const k = key();
    return k === null ? null : JSON.stringify(k);
  });
  const [answer, setAnswer] = createSignal<Answer<T> | null>(null, { equals: false });
  const [status, setStatus] = createSignal<{ key: string; status: FetchStatus; error?: string } | null>(null);
  const [job, setJob] = createSignal<string | null>(null);
  let sequence = 0;
  let cancelRunning: (() => void) | null = null;

  function stop(): void {
    sequence++;
    cancelRunning?.();
    cancelRunning = null;
    setJob(null);
  }

  function start(k: K, text: string): void {
    stop();
    const mine = sequence;
    const started = fetch(k);
    const promise = isJob(started) ? started.promise : started;
    if (isJob(started)) {
      cancelRunning = () => started.cancel();
      setJob(started.id);
    }
    setStatus({ key: text, status: 'loading' });
    promise.then(
      (value) => {
        if (mine !== sequence) return;
        cancelRunning = null;
        batch(() => {
          setJob(null);
          setAnswer({ key: text, value });
          setStatus({ key: text, status: 'ready' });
        });
      },
      (e: unknown) => {
        if (mine !== sequence) return;
        cancelRunning = null;
        const error = toEngineError(e);
        batch(() => {
          setJob(null);
          setStatus({
            key: text,
            status: error.name === 'Cancelled' ? 'cancelled' : 'error',
            error: error.message,
          });
        });
      },
    );
  }

  const current = () => {
    const s = status();
    return s && s.key === keyText() ? s : null;
  };

  return {
    value() {
      const a = answer();
      return a && a.key === keyText() ? a.value : null;
    },
    latest: () => answer()?.value ?? null,
    status: () => current()?.status ?? null,
    loading: () => current()?.status === 'loading',
    error: () => current()?.error ?? null,
    jobId: job,
    follow() {
      createEffect(() => {
        const text = keyText();
        if (text === null) return;
        untrack(() => {
          // Already answered (or on its way) for this key: a panel shown again costs nothing.
          const s = status();
          if (s?.key === text && (s.status === 'ready' || s.status === 'loading')) return;
          start(key() as K, text);
        });
      });
      onCleanup(() => {
        if (status()?.status !== 'loading') return;
        stop();
        setStatus(null);
      });
    },
    refetch() {
      const text = keyText();
      if (text !== null) start(key() as K, text);
    },
  };
}
