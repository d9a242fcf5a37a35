import type { Notebook, StepSpec } from '../../src/spec/notebook.ts';

/** Twenty steps as a user would build them on the Titanic-like sample: real names, real params. */
export function typicalNotebook(): Notebook {
  const steps: Omit<StepSpec, 'id' | 'enabled'>[] = [
    { step: 'DropColumns', params: {}, columns: ['PassengerId', 'Ticket', 'Cabin'] },
    { step: 'DropDuplicates', params: { keep: 'first' } },
    { step: 'CastType', params: { dtype: 'float64' }, columns: ['Fare'] },
    { step: 'RenameColumn', params: { from: 'Pclass', to: 'passenger_class' } },
    { step: 'FilterRows', params: { expression: 'Fare >= 0 and Age < 100' }, label: 'Drop impossible rows' },
    { step: 'SimpleImputer', params: { strategy: 'median' }, columns: ['Age', 'Fare'] },
    { step: 'SimpleImputer', params: { strategy: 'most_frequent' }, columns: ['Embarked'] },
    { step: 'MissingIndicator', params: { features: 'missing-only' } },
    { step: 'KNNImputer', params: { n_neighbors: 5, weights: 'uniform' }, columns: ['Age'] },
    { step: 'OutlierClipper', params: { method: 'iqr', factor: 1.5 }, columns: ['Fare'] },
    { step: 'IsolationForest', params: { n_estimators: 100, contamination: 'auto', random_state: 42 } },
    { step: 'StandardScaler', params: { with_mean: true, with_std: true } },
    { step: 'PowerTransformer', params: { method: 'yeo-johnson', standardize: true }, columns: ['Fare'] },
    { step: 'OneHotEncoder', params: { handle_unknown: 'ignore', drop: null }, columns: ['Sex', 'Embarked'] },
    { step: 'OrdinalEncoder', params: { categories: [['low', 'mid', 'high']] }, columns: ['fare_band'] },
    {
      step: 'KBinsDiscretizer',
      params: { n_bins: 5, encode: 'ordinal', strategy: 'quantile' },
      columns: ['Age'],
    },
    { step: 'PolynomialFeatures', params: { degree: 2, interaction_only: false, include_bias: false } },
    { step: 'VarianceThreshold', params: { threshold: 0.01 } },
    { step: 'SelectKBest', params: { score_func: 'f_classif', k: 10 } },
    { step: 'PCA', params: { n_components: 0.95, svd_solver: 'full', whiten: false } },
  ];
  return {
    version: 1,
    title: 'Titanic survival: cleaning and features',
    seed: 42,
    dataset: { kind: 'sample', sample: 'titanic', fingerprint: 'xxh64:9f86d081884c7d65' },
    target: 'Survived',
    steps: steps.map((s, i) => ({ id: `s${i + 1}`, enabled: i !== 10, ...s })),
  };
}
