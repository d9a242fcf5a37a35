/**
 * The import rules of ../shared/DESIGN.md §2, checked by `npm run deps` (part of `npm test`).
 * Heavy work never lands on the UI thread: ui/state/viz never reach gpu, models, pipeline, tfjs
 * or the worker code; the worker side never reaches Solid or the UI.
 */
const uiSide = '^src/(ui|state|viz)/';
const engineSide = '^(workers|src/(data|gpu|pipeline|models|deploy|export|runtime|engine/train))/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'Import cycles make modules impossible to reason about one at a time.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'ui-not-heavy',
      severity: 'error',
      comment: 'ui, state and viz run on the UI thread: no GPU, models, pipeline, tfjs or worker code there.',
      from: { path: uiSide },
      to: {
        path: [
          '^src/(gpu|models|pipeline|deploy|export|runtime|engine/train)/',
          '^workers/',
          '@tensorflow',
          'parquet-wasm',
        ],
      },
    },
    {
      name: 'ui-engine-via-client',
      severity: 'error',
      comment: 'The UI reaches the engine only through src/engine/client.ts (and its types).',
      from: { path: '^src/(ui|state)/' },
      to: { path: '^src/engine/', pathNot: '^src/engine/(client|api|errors)\\.ts$' },
    },
    {
      name: 'viz-pure',
      severity: 'error',
      comment: 'viz is pure functions of (data, options): d3 and spec/data types only.',
      from: { path: '^src/viz/' },
      to: { path: '^src/', pathNot: ['^src/(viz|spec)/', '^src/data/types\\.ts$'] },
    },
    {
      name: 'spec-standalone',
      severity: 'error',
      comment: 'spec imports nothing of ours: the notebook format must stand on its own.',
      from: { path: '^src/spec/' },
      to: { path: '^(src|workers)/', pathNot: '^src/spec/' },
    },
    {
      name: 'engine-side-no-ui',
      severity: 'error',
      comment: 'Worker-side code never imports Solid or the UI.',
      from: { path: engineSide },
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
