/**
 * The HTML report of one trained run: a single self-contained file (inline CSS, charts as inline
 * SVG, no script, nothing fetched) that opens offline and prints well — metrics with their 95%
 * CIs and per-fold values, the charts, the model's parameters, the split and seed, the notebook's
 * steps and share link, the backend, and the date. Built from the run's results already held by
 * the page; the chart views are the Evaluate tab's (src/viz through run-charts.ts).
 */
import type {
  BackendInfo,
  ExperimentResult,
  MetricSummary,
  ModelRunResult,
  TrainParamValue,
} from '../protocol/api';
import type { Notebook } from '../spec/notebook';
import { toSvgString } from '../viz/export';
import { ci, meanStd, metricName, num, paramsText, splitText } from './format';
import { runCharts } from './run-charts';

export interface ReportInput {
  run: ModelRunResult;
  experiment: ExperimentResult;
  dataset: { name: string; rows: number } | null;
  notebook: Notebook;
  notebookLink: string | null;
  backend: BackendInfo | null;
  /** Permutation importance, when it was computed for this run. */
  importance?: { feature: string; drop: MetricSummary }[] | null;
  createdAt: Date;
  /** Where the chart elements are made (default the page's document). */
  document?: Document;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function value(v: TrainParamValue | unknown): string {
  if (Array.isArray(v)) return `[${v.map(value).join(', ')}]`;
  if (v === null || v === undefined) return 'None';
  return String(v);
}

function row(cells: string[], head = false): string {
  return `<tr>${cells.map((c, i) => (head ? `<th scope="col">${c}</th>` : i === 0 ? `<th scope="row">${c}</th>` : `<td>${c}</td>`)).join('')}</tr>`;
}

function backendText(run: ModelRunResult, backend: BackendInfo | null): string {
  const parts = [`model ran on ${run.backend}`];
  if (backend) {
    parts.push(`kernels: ${backend.kernels === 'webgpu' ? 'WebGPU' : 'CPU'}`, `tfjs: ${backend.tfjs}`);
    const a = backend.adapter;
    if (a) {
      const name = a.description || [a.vendor, a.architecture].filter(Boolean).join(' ');
      parts.push(`adapter: ${name}${a.isFallbackAdapter ? ' (fallback adapter)' : ''}`);
    }
  }
  return parts.join(' · ');
}

const STYLE = `
  :root { color-scheme: light; }
  body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
    color: #1f2328; background: #fff; margin: 0 auto; padding: 28px 32px 48px; max-width: 1100px; }
  h1 { font-size: 22px; margin: 0 0 4px; }
  h2 { font-size: 16px; margin: 28px 0 8px; border-bottom: 1px solid #dde1e7; padding-bottom: 4px; }
  .sub { color: #656d76; margin: 0 0 18px; }
  table { border-collapse: collapse; margin: 4px 0 8px; }
  th, td { text-align: left; padding: 4px 12px 4px 0; border-bottom: 1px solid #eef0f3; vertical-align: top; }
  th[scope="col"] { color: #656d76; font-weight: 600; font-size: 12px; }
  td.num, .num { font-variant-numeric: tabular-nums; white-space: nowrap; }
  .muted { color: #656d76; }
  .changed { font-weight: 600; }
  figure { margin: 0; display: inline-block; vertical-align: top; }
  figcaption { color: #656d76; font-size: 12px; margin: 2px 0 0; }
  .charts { display: flex; flex-wrap: wrap; gap: 16px 20px; }
  code, .link { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 12px; word-break: break-all; }
  ol { padding-left: 20px; }
  footer { margin-top: 36px; color: #656d76; font-size: 12px; }
  @media print { body { padding: 0; } h2 { break-after: avoid; } figure, tr { break-inside: avoid; } }
`;

/** The report as one HTML document (a string to download as a .html file). */
export function runReportHtml(input: ReportInput): string {
  const { run, experiment: e, notebook } = input;
  const title = `${run.label}${e.target ? ` → ${e.target}` : ''}`;
  const when = input.createdAt.toISOString().replace('T', ' ').slice(0, 16);
  const dataset = input.dataset
    ? `${input.dataset.name} (${input.dataset.rows.toLocaleString('en-US')} rows)`
    : '—';

  const summary = [
    ['Dataset', escapeHtml(dataset)],
    ['Target', e.target ? `<code>${escapeHtml(e.target)}</code> (${e.task})` : `none (${e.task})`],
    ...(e.classes ? [['Classes', escapeHtml(e.classes.join(', '))]] : []),
    ['Features', `${e.features.length}: ${escapeHtml(e.features.join(', '))}`],
    ['Rows used', e.rows.toLocaleString('en-US')],
    ['Split', `${escapeHtml(splitText(e.split, e.folds))}, seed ${e.seed}`],
    ['Model', `${escapeHtml(run.name)} <span class="muted">(${escapeHtml(paramsText(run.changed))})</span>`],
    ['Backend', escapeHtml(backendText(run, input.backend))],
    ['Training time', `${(run.fitMs / 1000).toFixed(2)} s over ${e.folds} fold${e.folds === 1 ? '' : 's'}`],
    [
      'Notebook link',
      input.notebookLink
        ? `<a class="link" href="${escapeHtml(input.notebookLink)}">${escapeHtml(input.notebookLink)}</a>`
        : '<span class="muted">not available</span>',
    ],
    ['Date', `${escapeHtml(when)} UTC`],
  ];

  const metrics = Object.entries(run.metrics).map(([key, s]) =>
    row([
      escapeHtml(metricName(key)),
      `<span class="num">${meanStd(s)}</span>`,
      `<span class="num">${ci(s, key)}</span>`,
      `<span class="muted num">${(run.foldMetrics[key] ?? []).map((v) => num(v)).join('  ')}</span>`,
    ]),
  );

  const params = Object.entries(run.params).map(([k, v]) =>
    row([
      `<code${k in run.changed ? ' class="changed"' : ''}>${escapeHtml(k)}</code>`,
      `<code${k in run.changed ? ' class="changed"' : ''}>${escapeHtml(value(v))}</code>`,
    ]),
  );

  const steps = notebook.steps
    .filter((s) => s.enabled)
    .map(
      (s) =>
        `<li><code>${escapeHtml(s.step)}</code> <span class="muted">${escapeHtml(
          Object.keys(s.params).length > 0 ? JSON.stringify(s.params) : 'defaults',
        )}</span></li>`,
    );

  const verdicts = e.comparisons
    .filter((c) => c.a === run.label || c.b === run.label)
    .map((c) => `<li>${escapeHtml(c.verdict)}</li>`);

  const options = { theme: 'light' as const, ...(input.document ? { document: input.document } : {}) };
  const charts = runCharts(run, e).map(
    (c) =>
      `<figure data-chart="${c.label}">${toSvgString(c.render(options))}<figcaption>${escapeHtml(c.title)}</figcaption></figure>`,
  );

  const importance = input.importance ?? run.importance ?? null;
  const importanceRows = (importance ?? []).map((i) =>
    row([
      `<code>${escapeHtml(i.feature)}</code>`,
      `<span class="num">${num(i.drop.mean)}</span>`,
      `<span class="num">${ci(i.drop)}</span>`,
    ]),
  );

  const split = e.splitReport;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Benchtop">
<title>${escapeHtml(title)} — Benchtop report</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(title)}</h1>
<p class="sub">Benchtop run report · ${escapeHtml(dataset)} · ${escapeHtml(splitText(e.split, e.folds))} · ${escapeHtml(when)} UTC</p>
</header>
<section aria-labelledby="summary"><h2 id="summary">Summary</h2>
<table>${summary.map(([k, v]) => row([k!, v!])).join('')}</table>
</section>
<section aria-labelledby="metrics"><h2 id="metrics">Metrics <span class="muted">(mean ± std over ${e.folds} fold${e.folds === 1 ? '' : 's'}, 95% t-interval)</span></h2>
<table data-testid="report-metrics"><thead>${row(['metric', 'mean ± std', '95% CI', 'per fold'], true)}</thead><tbody>${metrics.join('')}</tbody></table>
${verdicts.length > 0 ? `<p class="muted">Compared with the other models of this experiment (${escapeHtml(metricName(e.primary))}):</p><ul>${verdicts.join('')}</ul>` : ''}
</section>
<section aria-labelledby="charts"><h2 id="charts">Charts <span class="muted">(out-of-fold predictions)</span></h2>
${charts.length > 0 ? `<div class="charts">${charts.join('')}</div>` : '<p class="muted">This run has no charts.</p>'}
</section>
${
  importanceRows.length > 0
    ? `<section aria-labelledby="importance"><h2 id="importance">Permutation importance</h2>
<p class="muted">Drop in ${escapeHtml(metricName(e.primary))} when the feature is shuffled (mean over folds, 95% CI).</p>
<table>${importanceRows.join('')}</table></section>`
    : ''
}
<section aria-labelledby="params"><h2 id="params">Parameters</h2>
<p class="muted">Every parameter of ${escapeHtml(run.name)}; the ones changed from the defaults in bold.</p>
<table>${params.join('')}</table>
</section>
<section aria-labelledby="data"><h2 id="data">Data and split</h2>
<p>${split.trainRows.toLocaleString('en-US')} training and ${split.testRows.toLocaleString('en-US')} test rows per round; seed ${e.seed}.</p>
${split.warnings.length > 0 ? `<ul>${split.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('')}</ul>` : '<p class="muted">The split report found no drift, shared duplicates or leaking features.</p>'}
<h3>Notebook</h3>
${steps.length > 0 ? `<ol>${steps.join('')}</ol>` : '<p class="muted">No steps: the model saw the columns as loaded.</p>'}
</section>
<footer>Made by Benchtop in the browser; this file is self-contained and needs no network. Open the notebook link to reproduce these numbers.</footer>
</body>
</html>
`;
}
