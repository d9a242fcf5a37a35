/**
 * Finding the slices where a run's errors concentrate: every slice of at least `minSize` rows is
 * tested against the other rows (two-proportion z-test or Welch's t-test), the p-values adjusted
 * together (Benjamini–Hochberg), and the significant ones reported as a greedy cover.
 */
import { throwIfAborted } from '../../core/errors';
import { benjaminiHochberg } from '../../models/slice-stats';
import type { Analysed } from './analysed';
import { type Feature, featuresOf } from './features';
import { aggregate, contrast, minus, type Scored, score, slotTotals, type Totals, totalsOf } from './stats';
import type { ErrorAnalysisOptions, ErrorAnalysisResult, ErrorSlice } from './types';
import { describeCondition, sentence } from './words';

export const DEFAULTS: Required<ErrorAnalysisOptions> = {
  minSize: 20,
  minShare: 0.01,
  bins: 5,
  pairFeatures: 6,
  maxSlices: 40,
  worstRows: 50,
  alpha: 0.05,
};

// ── The search ──

/** A tested slice: slot `ka` of feature `a`, and for a combination slot `kb` of feature `b`. */
interface Candidate {
  a: number;
  ka: number;
  b: number;
  kb: number;
  scored: Scored;
  q: number;
}

/** What the stages share: the rows, the features, their codes (computed on demand) and the rules. */
class SliceSearch {
  readonly all: Totals;
  private readonly codes = new Map<number, Uint8Array>();

  constructor(
    readonly a: Analysed,
    readonly features: Feature[],
    readonly minSize: number,
    readonly signal: AbortSignal | undefined,
  ) {
    this.all = totalsOf(a.error);
  }

  testable(t: Totals, of: Totals): boolean {
    return t.n >= this.minSize && of.n - t.n >= 2;
  }

  codesOf(f: number): Uint8Array {
    let c = this.codes.get(f);
    if (!c) {
      c = this.features[f]!.encode();
      this.codes.set(f, c);
    }
    return c;
  }

  /** Only the combined features' codes are kept in memory. */
  forget(f: number): void {
    this.codes.delete(f);
  }

  check(): void {
    if (this.signal) throwIfAborted(this.signal);
  }
}

/** Tests every one-feature slice, then the combinations of the `pairFeatures` strongest features. */
function testSlices(s: SliceSearch, pairFeatures: number): Candidate[] {
  const { a, features, all } = s;
  const candidates: Candidate[] = [];
  /** Per feature, its strongest positive test statistic: which features to combine. */
  const strength = new Float64Array(features.length);
  features.forEach((f, fi) => {
    s.check();
    const acc = aggregate(a.error, null, s.codesOf(fi), f.conditions.length);
    f.conditions.forEach((c, k) => {
      const t = slotTotals(acc, k);
      if (!s.testable(t, all)) return;
      const scored = score(a.task, [c], t, all);
      strength[fi] = Math.max(strength[fi]!, scored.test.statistic);
      candidates.push({ a: fi, ka: k, b: -1, kb: -1, scored, q: 1 });
    });
    s.forget(fi);
  });
  const top = Array.from(features.keys())
    .filter((f) => strength[f]! > 0)
    .sort((x, y) => strength[y]! - strength[x]!)
    .slice(0, Math.max(0, Math.floor(pairFeatures)));
  for (let i = 0; i < top.length; i++) {
    for (let j = i + 1; j < top.length; j++) {
      s.check();
      const [fa, fb] = [top[i]!, top[j]!];
      const width = features[fb]!.conditions.length;
      const slots = features[fa]!.conditions.length * width;
      const acc = aggregate(a.error, null, s.codesOf(fa), slots, s.codesOf(fb), width);
      for (let slot = 0; slot < slots; slot++) {
        const t = slotTotals(acc, slot);
        if (!s.testable(t, all)) continue;
        const [ka, kb] = [Math.floor(slot / width), slot % width];
        const conditions = [features[fa]!.conditions[ka]!, features[fb]!.conditions[kb]!];
        candidates.push({ a: fa, ka, b: fb, kb, scored: score(a.task, conditions, t, all), q: 1 });
      }
    }
  }
  const q = benjaminiHochberg(candidates.map((c) => c.scored.test.pValue));
  candidates.forEach((c, i) => {
    c.q = q[i]!;
  });
  return candidates;
}

/** Per-round totals of the rows no reported slice covers, single and pair aggregates cached. */
function roundTotals(s: SliceSearch, skip: Uint8Array | null) {
  const { a, features } = s;
  const singles = new Map<number, Float64Array>();
  const pairs = new Map<string, Float64Array>();
  const single = (f: number): Float64Array => {
    let acc = singles.get(f);
    if (!acc) {
      acc = aggregate(a.error, skip, s.codesOf(f), features[f]!.conditions.length);
      singles.set(f, acc);
    }
    return acc;
  };
  return {
    rest: totalsOf(a.error, skip),
    /** The candidate's totals, and for a combination its two one-feature parents'. */
    of(c: Candidate): { t: Totals; parents: Totals[] } {
      if (c.b < 0) return { t: slotTotals(single(c.a), c.ka), parents: [] };
      const width = features[c.b]!.conditions.length;
      const key = `${c.a}:${c.b}`;
      let acc = pairs.get(key);
      if (!acc) {
        const slots = features[c.a]!.conditions.length * width;
        acc = aggregate(a.error, skip, s.codesOf(c.a), slots, s.codesOf(c.b), width);
        pairs.set(key, acc);
      }
      const parents = [slotTotals(single(c.a), c.ka), slotTotals(single(c.b), c.kb)];
      return { t: slotTotals(acc, c.ka * width + c.kb), parents };
    },
  };
}

/**
 * The significant slices reported greedily, like a set cover: the worst slice first, then the
 * next worst counting only the rows no reported slice holds — a slice whose excess errors are
 * those of a slice already reported is left out (counted in `explained`). A combination of two
 * features must also be worse than the rest of each of its two one-feature slices (an interaction,
 * Bonferroni-corrected over the combinations), else the simpler slice says it better.
 */
function greedyCover(s: SliceSearch, significant: Candidate[], alpha: number, maxSlices: number) {
  const { a } = s;
  const n = a.error.length;
  const covered = new Uint8Array(n);
  let pool = significant;
  // Some of the many sub-slices of a bad slice look worse than the rest of it by chance alone:
  // the interaction test is Bonferroni-corrected over the significant combinations.
  const interactionAlpha = alpha / Math.max(1, pool.filter((c) => c.b >= 0).length);
  const reported: Candidate[] = [];
  let explained = 0;
  while (pool.length > 0 && reported.length < maxSlices) {
    s.check();
    const totals = roundTotals(s, reported.length > 0 ? covered : null);
    const kept: { c: Candidate; difference: number }[] = [];
    for (const c of pool) {
      const { t, parents } = totals.of(c);
      if (!s.testable(t, totals.rest)) continue;
      const now = contrast(a.task, t, minus(totals.rest, t));
      if (!(now.value > now.rest && now.test.pValue < alpha)) continue;
      const interaction = parents.every((p) => {
        const other = minus(p, t);
        if (other.n < 2) return false;
        const vs = contrast(a.task, t, other);
        return vs.value > vs.rest && vs.test.pValue < interactionAlpha;
      });
      if (interaction) kept.push({ c, difference: now.value - now.rest });
    }
    // Dropped now: explained by the slices reported so far (or, for a combination, by its parents).
    explained += pool.length - kept.length;
    if (kept.length === 0) break;
    kept.sort((x, y) => y.difference - x.difference || x.c.scored.test.pValue - y.c.scored.test.pValue);
    const best = kept[0]!.c;
    reported.push(best);
    const ca = s.codesOf(best.a);
    const cb = best.b >= 0 ? s.codesOf(best.b) : null;
    for (let i = 0; i < n; i++) if (ca[i] === best.ka && (!cb || cb[i] === best.kb)) covered[i] = 1;
    pool = kept.slice(1).map((k) => k.c);
  }
  return { reported, explained };
}

/**
 * Slices of the analysed rows, worst first (pure: the tests call it on synthetic tables): the
 * significant slices as a greedy cover (see greedyCover), then the slices worse than the rest but
 * not significant, the strongest evidence first.
 */
export function findSlices(
  a: Analysed,
  target: string,
  options: ErrorAnalysisOptions = {},
  signal?: AbortSignal,
): Pick<ErrorAnalysisResult, 'slices' | 'tested' | 'explained' | 'minSize' | 'alpha' | 'skipped'> {
  const o = { ...DEFAULTS, ...options };
  const minSize = Math.max(2, o.minSize, Math.ceil(o.minShare * a.error.length));
  const bins = Math.max(2, Math.floor(o.bins));
  const { features, skipped } = featuresOf(a.base, target, a.baseRows, bins, minSize);
  const search = new SliceSearch(a, features, minSize, signal);
  const candidates = testSlices(search, o.pairFeatures);
  const worse = (c: Candidate) => c.scored.value - c.scored.rest > 0;
  const significant = candidates.filter((c) => worse(c) && c.q < o.alpha);
  const { reported, explained } = greedyCover(search, significant, o.alpha, o.maxSlices);
  const others = candidates
    .filter((c) => worse(c) && !(c.q < o.alpha))
    .sort((x, y) => x.scored.test.pValue - y.scored.test.pValue);
  const typeOf = new Map(features.map((f) => [f.column, f.type]));
  const slices = [...reported, ...others].slice(0, o.maxSlices).map((c): ErrorSlice => {
    const s = c.scored;
    const description = s.conditions.map((x) => describeCondition(x, typeOf.get(x.column))).join(' and ');
    return {
      conditions: s.conditions,
      description,
      sentence: sentence(a.task, description, s),
      size: s.size,
      value: s.value,
      ciLow: s.ci.low,
      ciHigh: s.ci.high,
      rest: s.rest,
      difference: s.value - s.rest,
      pValue: s.test.pValue,
      qValue: c.q,
      significant: c.q < o.alpha,
    };
  });
  return { slices, tested: candidates.length, explained, minSize, alpha: o.alpha, skipped };
}
