import { describe, expect, it } from 'vitest';
import { createProgress, formatEta } from '../../src/cli/progress';

function stream(isTTY: boolean) {
  const s = {
    text: '',
    isTTY,
    columns: 80,
    write: (t: string) => {
      s.text += t;
      return true;
    },
  };
  return s;
}

describe('CLI progress', () => {
  it('formats an ETA in seconds, minutes or hours', () => {
    expect(formatEta(400)).toBe('1 s');
    expect(formatEta(42_000)).toBe('42 s');
    expect(formatEta(125_000)).toBe('2 min 05 s');
    expect(formatEta(3_725_000)).toBe('1 h 02 min');
  });

  it('on a terminal redraws one line with a bar and an ETA from the job’s pace', () => {
    let now = 0;
    const out = stream(true);
    const p = createProgress(out, () => now);
    p.update({ phase: 'Training', fraction: 0 });
    now = 10_000;
    p.update({ phase: 'Training: loss 0.5', fraction: 0.25 });
    expect(out.text.split('\r\x1b[2K').at(-1)).toBe(
      '[######------------------]  25%  ETA 30 s  Training: loss 0.5',
    );
    p.note('done');
    expect(out.text.endsWith('\r\x1b[2Kdone\n')).toBe(true);
  });

  it('elsewhere writes one plain line per phase, not per live note', () => {
    const out = stream(false);
    const p = createProgress(out, () => 0);
    p.update({ phase: 'Model · fold 1/2', fraction: 0 });
    p.update({ phase: 'Model · fold 1/2: iteration 3: loss 0.4', fraction: 0.2 });
    p.update({ phase: 'Model · fold 2/2', fraction: 0.5 });
    p.update({ phase: 'Reading', fraction: null });
    expect(out.text).toBe('Model · fold 1/2 (0%)\nModel · fold 2/2 (50%)\nReading\n');
  });
});
