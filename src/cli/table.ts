/** Plain-text tables for the terminal, with the app's number formats (src/report/format). */
import type { ExperimentResult, ScoreReport } from '../protocol/api';
import { ci, meanStd, metricName, paramsText, splitText } from '../report/format';

/** Left-aligned columns separated by two spaces; numbers are pre-formatted text. */
export function textTable(rows: string[][], indent = ''): string {
  const widths: number[] = [];
  for (const r of rows) {
    r.forEach((c, j) => {
      widths[j] = Math.max(widths[j] ?? 0, c.length);
    });
  }
  return rows
    .map(
      (r) =>
        indent +
        r
          .map((c, j) => (j === r.length - 1 ? c : c.padEnd(widths[j]!)))
          .join('  ')
          .trimEnd(),
    )
    .join('\n');
}

/** Every model's metrics, mean ± std over the folds and the 95% interval, best model first. */
export function metricsText(e: ExperimentResult): string {
  const head = `${e.task}${e.target ? ` of ${e.target}` : ''} · ${e.rows.toLocaleString('en-US')} rows · ${e.features.length} features · ${splitText(e.split, e.folds)} · seed ${e.seed}`;
  const blocks = e.models.map((m) => {
    const title = `${m.label} (${paramsText(m.changed)}) · ran on ${m.backend} · ${(m.fitMs / 1000).toFixed(2)} s`;
    const rows = [['metric', 'mean ± std', '95% CI']];
    for (const [key, s] of Object.entries(m.metrics)) rows.push([metricName(key), meanStd(s), ci(s, key)]);
    return `${title}\n${textTable(rows, '  ')}`;
  });
  const verdicts = e.comparisons.map((c) => `  ${c.verdict}`);
  return [head, '', blocks.join('\n\n'), ...(verdicts.length ? ['', 'Comparisons:', ...verdicts] : [])].join(
    '\n',
  );
}

/** The drift report of scoring new data: per input column, what is off and how far it moved. */
export function scoreText(r: ScoreReport, modelLabel: string): string {
  const lines = [
    `${modelLabel}: scored ${r.scored.toLocaleString('en-US')} of ${r.rows.toLocaleString('en-US')} rows in ${(r.ms / 1000).toFixed(2)} s`,
  ];
  if (r.classes && r.classCounts) {
    lines.push(
      `predicted: ${r.classes.map((c, k) => `${c} ${r.classCounts![k]!.toLocaleString('en-US')}`).join(', ')}`,
    );
  }
  const rows = [['column', 'type', 'missing', 'wrong type', 'out of range', 'unseen', 'PSI', 'shift']];
  for (const c of r.columns) {
    rows.push([
      c.column,
      c.type,
      `${c.missing}${c.missing > 0 ? ` (${c.missingPolicy})` : ''}`,
      String(c.wrongType),
      String(c.outOfRange),
      String(c.unseenCategory),
      c.psi === null ? '–' : c.psi.toFixed(3),
      c.shift ?? '–',
    ]);
  }
  lines.push('', 'Drift against the training rows:', textTable(rows, '  '));
  if (r.ignoredColumns.length > 0) lines.push('', `Not read by the model: ${r.ignoredColumns.join(', ')}`);
  return lines.join('\n');
}
