/** The self-contained HTML report of one or more simulation runs (inline SVG charts). */
export { renderReport, metricRows, type ReportMeta, type ReportRun } from './html.js';
export { lineChart, barChart, esc } from './svg.js';
