// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@solidjs/testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import type { ColumnProfile, DatasetInfo, FixStep, QualityWarning } from '../../src/protocol/api';
import type { ProfileStore } from '../../src/state/profile';
import { createProfileStore } from '../../src/state/profile';
import { ColumnCard } from '../../src/ui/profile/ColumnCard';
import { barData, binEdges } from '../../src/ui/profile/charts';
import { formatPercent, formatStat } from '../../src/ui/profile/format';
import { PAGE_SIZE, ProfileGrid } from '../../src/ui/profile/ProfileGrid';
import { duplicateRows, QualityPanel } from '../../src/ui/quality/QualityPanel';

afterEach(cleanup);

const base = {
  rows: 150,
  dominant: null,
  numeric: null,
  categories: null,
  text: null,
  dates: null,
} as const;

const sepal: ColumnProfile = {
  ...base,
  name: 'sepal width (cm)',
  type: 'float',
  count: 144,
  missing: 6,
  distinct: 23,
  distinctApprox: false,
  numeric: {
    mean: 3.057638888888889,
    std: 0.4358663,
    min: 2,
    q25: 2.8,
    median: 3,
    q75: 3.3,
    max: 4.4,
    skewness: 0.3189657,
    kurtosis: 0.2282436,
    zeros: 0,
    negatives: 0,
    posInf: 0,
    negInf: 0,
    monotonic: null,
    histogram: { lo: 2, hi: 4.4, counts: [4, 7, 22, 24, 37, 31, 10, 11, 2], rule: 'freedman-diaconis' },
  },
};

const site: ColumnProfile = {
  ...base,
  name: 'site',
  type: 'categorical',
  count: 142,
  missing: 8,
  distinct: 1_234_567,
  distinctApprox: true,
  categories: {
    top: [
      { value: 'north', count: 50 },
      { value: 'south', count: 40 },
      { value: 'east', count: 20 },
      { value: 'west', count: 12 },
      { value: 'up', count: 5 },
      { value: 'down', count: 3 },
    ],
    other: 12,
    topApprox: false,
  },
};

const day: ColumnProfile = {
  ...base,
  name: 'measured_on',
  type: 'date',
  count: 147,
  missing: 3,
  distinct: 90,
  distinctApprox: false,
  dates: {
    min: '2023-01-01',
    max: '2023-03-31',
    histogram: { lo: 0, hi: 1, counts: [3, 9, 4], rule: 'sturges' },
  },
};

describe('number formatting', () => {
  it('prints statistics tidily', () => {
    expect(formatStat(3.057638888888889)).toBe('3.058');
    expect(formatStat(4)).toBe('4');
    expect(formatStat(-0.0000123)).toBe('−1.23e−5');
    expect(formatStat(12345.678)).toBe('12,346');
    expect(formatStat(2.5e12)).toBe('2.5e+12');
    expect(formatStat(-2.5)).toBe('−2.5');
    expect(formatStat(null)).toBe('—');
    expect(formatStat(Number.NEGATIVE_INFINITY)).toBe('−∞');
    expect(formatPercent(6, 150)).toBe('4.0%');
    expect(formatPercent(1, 10_000)).toBe('<0.1%');
    expect(formatPercent(9999, 10_000)).toBe('99.9%');
  });

  it('reads the duplicate count from the report, 0 without a duplicates warning', () => {
    const dup: QualityWarning = {
      id: 'duplicates:',
      kind: 'duplicates',
      severity: 'warning',
      columns: [],
      message: '1,203 of 10,000 rows (12.0%) repeat an earlier row exactly; …',
    };
    expect(duplicateRows([dup])).toBe(1203);
    expect(duplicateRows([])).toBe(0);
    expect(duplicateRows(undefined)).toBeNull();
  });
});

describe('ColumnCard', () => {
  it('shows counts, formatted statistics and a histogram for a numeric column', () => {
    const { container } = render(() => <ColumnCard profile={sepal} />);
    const card = container.querySelector('[data-column="sepal width (cm)"]')!;
    const stat = (name: string) => card.querySelector(`[data-stat="${name}"]`)?.textContent;
    expect(stat('count')).toBe('144');
    expect(stat('missing')).toBe('6 (4.0%)');
    expect(stat('distinct')).toBe('23');
    expect(stat('mean')).toBe('3.058');
    expect(stat('std')).toBe('0.4359');
    expect(stat('min')).toBe('2');
    expect(stat('q75')).toBe('3.3');
    expect(stat('skew')).toBe('0.319');
    expect(stat('kurt')).toBe('0.2282');
    // The viz histogram: one bar per bin, plus the missing band.
    const svg = card.querySelector('svg.bt-histogram');
    expect(svg).not.toBeNull();
    expect(svg?.querySelectorAll('rect.bar')).toHaveLength(9);
    expect(svg?.textContent).toContain('missing');
  });

  it('marks an approximate distinct count and folds categories past the top five into "other"', () => {
    const { container } = render(() => <ColumnCard profile={site} />);
    const distinct = container.querySelector('[data-stat="distinct"]');
    expect(distinct?.textContent).toBe('≈1,234,567');
    expect(distinct?.getAttribute('title')).toMatch(/HyperLogLog/);
    expect(container.querySelector('[data-stat="mean"]')).toBeNull();
    const svg = container.querySelector('svg.bt-bars');
    expect(svg).not.toBeNull();
    const labels = [...(svg?.querySelectorAll('.bar') ?? [])].map((g) => g.getAttribute('class'));
    // 5 categories, one "other" (12 + "down" 3), one missing.
    expect(labels.filter((c) => c?.includes('bar-category'))).toHaveLength(5);
    expect(labels.filter((c) => c?.includes('bar-other'))).toHaveLength(1);
    expect(labels.filter((c) => c?.includes('bar-missing'))).toHaveLength(1);
    expect(barData(site)?.other).toBe(15);
  });

  it('shows the date range with an inline chart', () => {
    const { container } = render(() => <ColumnCard profile={day} />);
    expect(container.querySelector('[data-stat="range"]')?.textContent).toBe('2023-01-01 → 2023-03-31');
    expect(container.querySelectorAll('svg.pcard-datebars rect')).toHaveLength(3);
  });

  it('computes equal-width bin edges ending exactly at hi', () => {
    const edges = binEdges({ lo: 0, hi: 0.3, counts: [1, 1, 1], rule: 'sturges' });
    expect(edges).toHaveLength(4);
    expect(edges[1]).toBeCloseTo(0.1, 15);
    expect(edges[2]).toBeCloseTo(0.2, 15);
    expect(edges[3]).toBe(0.3);
  });
});

describe('ProfileGrid', () => {
  it('renders a page of cards for wide data and filters by name', async () => {
    const many = Array.from({ length: 65 }, (_, i) => ({ ...sepal, name: `pixel_${i}` }));
    const { container } = render(() => <ProfileGrid profiles={many} />);
    expect(container.querySelectorAll('.pcard')).toHaveLength(PAGE_SIZE);
    fireEvent.click(screen.getByRole('button', { name: /^Show 24 more/ }));
    expect(container.querySelectorAll('.pcard')).toHaveLength(2 * PAGE_SIZE);
    fireEvent.input(screen.getByLabelText('Filter columns by name'), { target: { value: 'pixel_6' } });
    // pixel_6 and pixel_60..64
    expect(container.querySelectorAll('.pcard')).toHaveLength(6);
  });
});

describe('QualityPanel', () => {
  const dataset: DatasetInfo = {
    id: 'iris_missing',
    name: 'Iris with missing values',
    source: { kind: 'sample', sample: 'iris_missing' },
    rows: 150,
    columns: [
      { name: 'sepal width (cm)', type: 'float', inferredType: 'float', arrowType: 'Float64', missing: 6 },
      { name: 'site', type: 'categorical', inferredType: 'categorical', arrowType: 'Utf8', missing: 8 },
    ],
    memoryBytes: 0,
    fileBytes: 0,
    report: { format: 'csv', raggedRows: [], raggedCount: 0, warnings: [], parseMs: 1 },
  };
  const missing: QualityWarning = {
    id: 'missing:sepal width (cm)',
    kind: 'missing',
    severity: 'warning',
    columns: ['sepal width (cm)'],
    message: '"sepal width (cm)" is missing 6 of 150 values (4.0%).',
    fix: {
      label: 'Fill "sepal width (cm)" with its median',
      step: { step: 'SimpleImputer', params: { strategy: 'median' }, columns: ['sepal width (cm)'] },
    },
  };

  function store(): ProfileStore {
    return createProfileStore({
      api: {
        profile: async () => [sepal, site],
        qualityReport: async () => [missing],
      },
      startJob: (_label, run) => ({ id: 'j', promise: run({ id: 'j' }), cancel: () => {} }),
      source: () => ({
        id: dataset.id,
        name: dataset.name,
        revision: 1,
        columns: ['sepal width (cm)', 'site'],
      }),
    });
  }

  it('lists findings with their fixes and sends a fix to the notebook once', async () => {
    const fixes: FixStep[] = [];
    render(() => (
      <QualityPanel
        dataset={dataset}
        store={store()}
        onFix={(step) => {
          fixes.push(step);
          return true;
        }}
      />
    ));
    const fix = await screen.findByRole('button', { name: 'Fix: Fill "sepal width (cm)" with its median' });
    expect(screen.getByTestId('count-missing').textContent).toBe('14 (4.7%)');
    expect(screen.getByTestId('count-duplicates').textContent).toBe('0');
    expect(screen.getByText(missing.message)).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Warnings (1)' })).toBeTruthy();
    expect(screen.getByRole('option', { name: 'IQR (k = 1.5, default)' })).toBeTruthy();
    fireEvent.click(fix);
    expect(fixes).toEqual([missing.fix?.step]);
    expect(screen.getByText('Added to notebook ✓')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /^Fix:/ })).toBeNull();
    expect(document.querySelectorAll('.pcard')).toHaveLength(2);
  });
});
