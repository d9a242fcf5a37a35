/**
 * Progress on stderr. On a terminal: one line redrawn in place, with a bar, the percentage and an
 * ETA from the job's pace so far. Anywhere else (a CI log, a pipe): one plain line per phase with
 * the job's fraction done — live notes after ": " (a loss, an iteration) do not start a new line —
 * so logs stay short and readable.
 */
import type { Progress } from '../core/job';

export interface OutStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressSink {
  /** A progress report of the running job. */
  update(p: Progress): void;
  /** A line of its own (a finished phase, a warning), above the bar. */
  note(text: string): void;
  /** Clears the bar; call before writing results. */
  clear(): void;
}

const BAR = 24;

export function formatEta(ms: number): string {
  const s = Math.max(1, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

export function createProgress(stream: OutStream, now: () => number = Date.now): ProgressSink {
  const tty = stream.isTTY === true;
  let phase = '';
  let drawn = false;
  // The pace: when the current job's fraction started from (near) zero.
  let started = 0;
  let last = Number.POSITIVE_INFINITY;

  const clear = (): void => {
    if (tty && drawn) stream.write('\r\x1b[2K');
    drawn = false;
  };

  const draw = (p: Progress, f: number | null): void => {
    let line = p.phase;
    if (f !== null) {
      const done = Math.round(f * BAR);
      const spent = now() - started;
      // An ETA needs a few percent and a second of history to mean anything.
      const eta = f > 0.02 && f < 1 && spent > 1000 ? `  ETA ${formatEta((spent / f) * (1 - f))}` : '';
      line = `[${'#'.repeat(done)}${'-'.repeat(BAR - done)}] ${String(Math.round(f * 100)).padStart(3)}%${eta}  ${p.phase}`;
    }
    const width = Math.max(20, (stream.columns ?? 100) - 1);
    stream.write(`\r\x1b[2K${line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
    drawn = true;
  };

  return {
    update(p) {
      const f =
        p.fraction !== null && Number.isFinite(p.fraction) ? Math.min(1, Math.max(0, p.fraction)) : null;
      if (f !== null) {
        // A fraction that goes back is a new job: its pace starts now.
        if (f < last) started = now();
        last = f;
      }
      const key = p.phase.split(': ')[0] ?? p.phase;
      if (tty) {
        draw(p, f);
      } else if (key !== phase) {
        stream.write(`${key}${f !== null ? ` (${Math.round(f * 100)}%)` : ''}\n`);
      }
      phase = key;
    },
    note(text) {
      clear();
      stream.write(`${text}\n`);
    },
    clear,
  };
}
