/**
 * The import rules of ../shared/DESIGN.md §2, checked by `npm run deps` (part of `npm test`).
 *
 * Worker side, one folder per layer, lowest first. A folder imports only from its own layer or
 * below — type imports included (tsPreCompilationDeps):
 *
 *   core → io, gpu, spec → pipeline → models → runtime → analysis → export → workers
 *
 * `runtime` sits below `analysis` (DESIGN.md lists it beside `export`): every prediction the app
 * shows (what-if, PDP, scoring) goes through benchtop-runtime's own loader, so analysis/deploy,
 * inspect and score import it; the runtime itself imports only core, gpu, pipeline and models.
 *
 * UI side: protocol (the worker API: message shapes + re-exported types) → state → ui; ui may use
 * viz; viz imports d3, core types, core formats and spec only. Heavy work never lands on the UI thread.
 */
const LAYERS = [
  ['core'],
  ['io', 'gpu', 'spec'],
  ['pipeline'],
  ['models'],
  ['runtime'],
  ['analysis'],
  ['export'],
];
const workerSide = LAYERS.flat();

/** Everything at or above `rank` (the folders a layer of that rank must not import). */
function higherThan(rank) {
  return LAYERS.slice(rank + 1).flat();
}
const folderRe = (names) => `^src/(${names.join('|')})/`;

const layerRules = LAYERS.slice(0, -1).map((names, rank) => ({
  name: `layer-${names.join('-')}`,
  severity: 'error',
  comment: `${names.join(', ')} may import only ${LAYERS.slice(0, rank + 1)
    .flat()
    .join(', ')} (DESIGN.md §2).`,
  from: { path: folderRe(names) },
  to: {
    path: [folderRe(higherThan(rank)), '^workers/', '^src/(protocol|state|ui|viz)/', '^src/main\\.tsx$'],
  },
}));

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make modules impossible to reason about one at a time.',
      from: {},
      to: { circular: true },
    },
    ...layerRules,
    {
      name: 'export-below-workers',
      severity: 'error',
      comment: 'export is the top worker-side layer: it never imports the workers, the protocol or the UI.',
      from: { path: folderRe(['export']) },
      to: { path: ['^workers/', '^src/(protocol|state|ui|viz)/'] },
    },
    {
      name: 'no-comlink-below-workers',
      severity: 'error',
      comment:
        'Only workers/ and the protocol/state side speak comlink; the layers below are plain functions.',
      from: { path: folderRe(workerSide) },
      to: { path: 'node_modules/comlink' },
    },
    {
      name: 'protocol-types-only',
      severity: 'error',
      comment:
        'protocol owns the message shapes and re-exports types of the layers below; it never runs their code, so it never pulls the engine into the UI bundle.',
      from: { path: '^src/protocol/' },
      to: { path: folderRe(workerSide), pathNot: folderRe(['core']), dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'ui-not-heavy',
      severity: 'error',
      comment:
        'ui, state and viz run on the UI thread: no GPU, io, models, pipeline, analysis, tfjs or worker code there.',
      from: { path: '^src/(ui|state|viz)/' },
      to: {
        path: [
          folderRe(['io', 'gpu', 'pipeline', 'models', 'runtime', 'analysis', 'export']),
          '^workers/',
          '@tensorflow',
          'parquet-wasm',
        ],
      },
    },
    {
      name: 'ui-engine-via-state',
      severity: 'error',
      comment: 'Components reach the engine only through the stores and client in src/state.',
      from: { path: '^src/ui/' },
      to: { path: '^src/protocol/transfer\\.ts$' },
    },
    {
      name: 'cli-headless',
      comment:
        'The benchtop command runs the engine in-process in Node: never the UI stores, components or charts.',
      severity: 'error',
      from: { path: '^src/cli/' },
      to: { path: '^src/(state|ui|viz)/' },
    },
    {
      name: 'report-pure',
      comment:
        'src/report (the HTML report, its charts and number formats) is pure: viz, protocol types, spec and core only.',
      severity: 'error',
      from: { path: '^src/report/' },
      to: { path: '^(src|workers)/', pathNot: ['^src/(report|viz|protocol|spec|core)/'] },
    },
    {
      name: 'state-not-ui',
      severity: 'error',
      comment: 'Stores never import components.',
      from: { path: '^src/state/' },
      to: { path: '^src/ui/' },
    },
    {
      name: 'viz-pure',
      severity: 'error',
      comment:
        'viz is pure functions of (data, options): d3, spec, core types and core formats (sizes and counts, shared with the UI and the worker) only.',
      from: { path: '^src/viz/' },
      to: { path: '^src/', pathNot: ['^src/(viz|spec)/', '^src/core/(types|format)\\.ts$'] },
    },
    {
      name: 'spec-standalone',
      severity: 'error',
      comment: 'spec imports nothing of ours: the notebook format must stand on its own.',
      from: { path: '^src/spec/' },
      to: { path: '^(src|workers)/', pathNot: '^src/spec/' },
    },
    {
      name: 'core-standalone',
      severity: 'error',
      comment: 'core imports nothing of ours outside core.',
      from: { path: '^src/core/' },
      to: { path: '^(src|workers)/', pathNot: '^src/core/' },
    },
    {
      name: 'worker-side-no-ui',
      severity: 'error',
      comment: 'Worker-side code never imports Solid or the UI.',
      from: { path: ['^workers/', folderRe(workerSide)] },
      to: { path: ['^src/(ui|state|viz)/', 'solid-js', '^src/main\\.tsx$'] },
    },
    {
      name: 'no-test-imports',
      severity: 'error',
      comment: 'Production code never imports tests or benchmarks.',
      from: { path: '^(src|workers)/' },
      to: { path: '^(tests|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '\\.(css|wgsl)(\\?raw)?$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
