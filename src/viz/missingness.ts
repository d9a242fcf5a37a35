import { scaleBand } from 'd3';
import { type BaseOptions, createSvg, documentOf, type GSelection, r2 } from './dom.ts';
import { formatCountCompact, formatShare, textWidth, truncateMiddle } from './format.ts';
import { resolveTheme, type ThemeOption } from './theme.ts';

/** Which cells are missing, for all rows or a sample (the worker packs it). */
export interface MissingnessData {
  columns: string[];
  /** Rows in the bitmap. */
  rows: number;
  /** rows × columns, row-major, 1 = missing. */
  bitmap: Uint8Array;
  /** Rows in the whole dataset when `bitmap` is a sample (for the caption). */
  totalRows?: number;
}

export interface MissingPattern {
  /** One byte per column, 1 = missing. */
  pattern: Uint8Array;
  count: number;
  missingColumns: number;
}

/**
 * Distinct rows of the bitmap with their counts, most frequent first (ties: fewer missing
 * columns first, then the pattern read left to right), as missingno and naniar show them.
 */
export function missingPatterns(bitmap: Uint8Array, rows: number, columns: number): MissingPattern[] {
  const byKey = new Map<string, MissingPattern>();
  for (let r = 0; r < rows; r++) {
    const row = bitmap.subarray(r * columns, (r + 1) * columns);
    let key = '';
    let missing = 0;
    for (let c = 0; c < columns; c++) {
      const m = row[c] ? 1 : 0;
      key += m;
      missing += m;
    }
    const found = byKey.get(key);
    if (found) found.count++;
    else
      byKey.set(key, {
        pattern: Uint8Array.from(row, (v) => (v ? 1 : 0)),
        count: 1,
        missingColumns: missing,
      });
  }
  return [...byKey.entries()]
    .sort(
      ([ka, a], [kb, b]) => b.count - a.count || a.missingColumns - b.missingColumns || (ka < kb ? -1 : 1),
    )
    .map(([, p]) => p);
}

export interface MissingnessOptions extends BaseOptions {
  theme?: ThemeOption;
  /** Show at most this many patterns; the rest are summed in a caption (default 30). */
  maxPatterns?: number;
}

/**
 * Missingness matrix: columns across, one band per distinct pattern of missing cells, its height
 * proportional to how many rows share it; per-column missing shares along the bottom.
 */
export function missingness(data: MissingnessData, options: MissingnessOptions = {}): SVGSVGElement {
  const doc = documentOf(options);
  const theme = resolveTheme(options.theme);
  const nc = data.columns.length;
  if (data.bitmap.length < data.rows * nc) {
    throw new Error(`missingness: bitmap has ${data.bitmap.length} cells, needs ${data.rows}×${nc}`);
  }
  const width = options.width ?? 480;
  const height = options.height ?? 300;
  const patterns = missingPatterns(data.bitmap, data.rows, nc);
  const shown = patterns.slice(0, options.maxPatterns ?? 30);
  const hiddenRows = patterns.slice(shown.length).reduce((s, p) => s + p.count, 0);

  const topLabel = Math.min(
    90,
    Math.max(24, ...data.columns.map((c) => textWidth(c, theme.fontSize))) * 0.65 + theme.fontSize + 4,
  );
  const margin = { top: topLabel + 6, right: 72, bottom: 40, left: 12 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const svg = createSvg(doc, width, height, theme, options.title ?? 'Missing values by pattern');
  svg.attr('class', 'bt-missingness');
  const root = svg.append('g').attr('transform', `translate(${margin.left},${margin.top})`) as GSelection;
  const x = scaleBand<number>()
    .domain(data.columns.map((_, i) => i))
    .range([0, plotWidth])
    .paddingInner(nc > 40 ? 0 : 0.08);
  const shownRows = shown.reduce((s, p) => s + p.count, 0) || 1;
  // Each band at least 3 px so rare patterns stay visible; the rest shares the height by count.
  const minBand = 3;
  const spare = Math.max(0, plotHeight - minBand * shown.length);
  const maxChars = Math.floor(90 / (theme.fontSize * 0.58 * 0.77));

  const labels = root.append('g').attr('class', 'col-labels').attr('fill', theme.text);
  data.columns.forEach((name, c) => {
    const t = labels
      .append('text')
      .attr('transform', `translate(${r2(x(c)! + x.bandwidth() / 2)},-6) rotate(-40)`)
      .text(truncateMiddle(name, maxChars));
    if (t.text() !== name) t.append('title').text(name);
    if (x.step() < theme.fontSize && c % Math.ceil(theme.fontSize / x.step()) !== 0) t.remove();
  });

  const bands = root.append('g').attr('class', 'patterns');
  let y = 0;
  for (const p of shown) {
    const h = minBand + (spare * p.count) / shownRows;
    const g = bands
      .append('g')
      .attr('class', 'pattern')
      .attr('transform', `translate(0,${r2(y)})`);
    for (let c = 0; c < nc; c++) {
      g.append('rect')
        .attr('x', r2(x(c)!))
        .attr('width', r2(x.bandwidth()))
        .attr('height', r2(Math.max(1, h - 1)))
        .attr('fill', p.pattern[c] ? theme.mark : theme.grid);
    }
    const missingNames = data.columns.filter((_, c) => p.pattern[c]);
    g.append('title').text(
      `${formatCountCompact(p.count)} rows (${formatShare(p.count, data.rows)}): ` +
        (missingNames.length ? `missing ${missingNames.join(', ')}` : 'complete'),
    );
    if (h >= theme.fontSize + 1) {
      g.append('text')
        .attr('x', plotWidth + 6)
        .attr('y', r2(h / 2))
        .attr('dy', '0.35em')
        .attr('fill', theme.textMuted)
        .text(formatShare(p.count, data.rows));
    }
    y += h;
  }

  const shares = root
    .append('g')
    .attr('class', 'col-shares')
    .attr('transform', `translate(0,${r2(plotHeight + 14)})`);
  data.columns.forEach((name, c) => {
    let missing = 0;
    for (let r = 0; r < data.rows; r++) missing += data.bitmap[r * nc + c] ? 1 : 0;
    if (x.bandwidth() < 26) return; // no room for a number: the tooltip still has it
    shares
      .append('text')
      .attr('x', r2(x(c)! + x.bandwidth() / 2))
      .attr('text-anchor', 'middle')
      .attr('font-size', 10)
      .attr('fill', missing ? theme.text : theme.textMuted)
      .text(missing ? formatShare(missing, data.rows) : '0')
      .append('title')
      .text(`${name}: ${formatCountCompact(missing)} missing of ${formatCountCompact(data.rows)}`);
  });
  const caption =
    `${formatCountCompact(patterns.length)} patterns in ${formatCountCompact(data.rows)} rows` +
    (data.totalRows && data.totalRows > data.rows
      ? ` (sample of ${formatCountCompact(data.totalRows)})`
      : '') +
    (hiddenRows ? ` · ${formatCountCompact(hiddenRows)} rows in rarer patterns not shown` : '');
  root
    .append('text')
    .attr('class', 'caption')
    .attr('y', r2(plotHeight + 32))
    .attr('fill', theme.textMuted)
    .text(caption);
  return svg.node()!;
}
