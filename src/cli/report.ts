/**
 * The Export tab's HTML report, rendered in Node. The report (src/report/report.ts) is string
 * building except its charts, which src/viz draws as SVG elements; here a happy-dom document stands
 * in for the page's, so the file is the one the app downloads, charts included.
 */
import type { ReportInput } from '../report/report';
import { runReportHtml } from '../report/report';

export async function renderReport(input: Omit<ReportInput, 'createdAt' | 'document'>): Promise<string> {
  const { Window } = await import('happy-dom');
  const window = new Window();
  try {
    return runReportHtml({
      ...input,
      createdAt: new Date(),
      document: window.document as unknown as Document,
    });
  } finally {
    await window.happyDOM.close();
  }
}
