/**
 * Groups for the "Add step" picker, in the order of the work (issue 4's list). A step the list
 * does not know yet still shows, under "Other transforms" or "Other filters" by its kind.
 */
import type { StepInfo } from '../../protocol/api';

const GROUPS: readonly (readonly [string, readonly string[]])[] = [
  ['Cleaning', ['DropColumns', 'DropDuplicates', 'FilterRows', 'CastType', 'RenameColumn']],
  ['Missing values', ['SimpleImputer', 'KNNImputer', 'MissingIndicator']],
  ['Outliers', ['OutlierFilter', 'OutlierClipper', 'IsolationForest', 'LocalOutlierFactor']],
  [
    'Scaling',
    [
      'StandardScaler',
      'MinMaxScaler',
      'RobustScaler',
      'MaxAbsScaler',
      'Normalizer',
      'PowerTransformer',
      'QuantileTransformer',
      'Log1p',
    ],
  ],
  ['Encoding', ['OneHotEncoder', 'OrdinalEncoder', 'TargetEncoder']],
  [
    'Feature extraction',
    ['PolynomialFeatures', 'KBinsDiscretizer', 'DateParts', 'TextFeatures', 'DerivedColumn'],
  ],
  ['Feature selection', ['VarianceThreshold', 'SelectKBest', 'CorrelationFilter']],
  ['Dimensionality reduction', ['PCA', 'TruncatedSVD']],
];

export interface StepGroup {
  title: string;
  steps: StepInfo[];
}

/** The catalog grouped for the picker, filtered by `query` (name or description, any case). */
export function groupSteps(catalog: readonly StepInfo[], query = ''): StepGroup[] {
  const q = query.trim().toLowerCase();
  const shown = catalog.filter(
    (s) => q === '' || s.name.toLowerCase().includes(q) || s.description.toLowerCase().includes(q),
  );
  const groups: StepGroup[] = [];
  const placed = new Set<string>();
  for (const [title, names] of GROUPS) {
    const steps = names.flatMap((n) => shown.filter((s) => s.name === n));
    for (const s of steps) placed.add(s.name);
    if (steps.length > 0) groups.push({ title, steps });
  }
  for (const kind of ['transform', 'filter'] as const) {
    const steps = shown.filter((s) => !placed.has(s.name) && s.kind === kind);
    if (steps.length > 0)
      groups.push({ title: kind === 'transform' ? 'Other transforms' : 'Other filters', steps });
  }
  return groups;
}

/**
 * The step Enter adds from the search box: the one whose name is the query, else the only step
 * the query matches; null when the choice is not clear.
 */
export function pickedStep(groups: readonly StepGroup[], query: string): StepInfo | null {
  const steps = groups.flatMap((g) => g.steps);
  const q = query.trim().toLowerCase();
  return steps.find((s) => s.name.toLowerCase() === q) ?? (steps.length === 1 ? (steps[0] ?? null) : null);
}
