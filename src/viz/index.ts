/** The view layer: pure functions of (data, options) → SVG or canvas views, d3 only. */
export * from './axes.ts';
export * from './bars.ts';
export * from './boxplot.ts';
export * from './cluster.ts';
export * from './dom.ts';
export * from './embedding.ts';
export * from './export.ts';
export * from './format.ts';
export * from './geometry.ts';
export * from './heatmap.ts';
export * from './histogram.ts';
export * from './missingness.ts';
export * from './raster.ts';
export * from './scatter.ts';
export * from './selection.ts';
export * from './splom.ts';
export * from './theme.ts';
