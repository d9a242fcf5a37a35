/**
 * The model half of the Python export: every registered model's scikit-learn class, how one fold
 * is fitted and scored (the metrics Benchtop reports, by sklearn's functions), and which models
 * draw random numbers (so their numbers agree only statistically).
 */
import type { TrainTask } from '../analysis/experiment/types';

/** Registered model → the sklearn module of its class (same name). */
export const MODEL_MODULES: Record<string, string> = {
  LinearRegression: 'sklearn.linear_model',
  Ridge: 'sklearn.linear_model',
  Lasso: 'sklearn.linear_model',
  ElasticNet: 'sklearn.linear_model',
  LogisticRegression: 'sklearn.linear_model',
  GaussianNB: 'sklearn.naive_bayes',
  KNeighborsClassifier: 'sklearn.neighbors',
  KNeighborsRegressor: 'sklearn.neighbors',
  DecisionTreeClassifier: 'sklearn.tree',
  DecisionTreeRegressor: 'sklearn.tree',
  RandomForestClassifier: 'sklearn.ensemble',
  RandomForestRegressor: 'sklearn.ensemble',
  HistGradientBoostingClassifier: 'sklearn.ensemble',
  HistGradientBoostingRegressor: 'sklearn.ensemble',
  MLPClassifier: 'sklearn.neural_network',
  MLPRegressor: 'sklearn.neural_network',
  KMeans: 'sklearn.cluster',
  DBSCAN: 'sklearn.cluster',
};

/** Models whose fit draws random numbers (numpy's generator in the script, Benchtop's own in the app). */
export const RANDOM_MODELS: Record<string, string> = {
  DecisionTreeClassifier: 'breaks ties between equally good splits at random',
  DecisionTreeRegressor: 'breaks ties between equally good splits at random',
  RandomForestClassifier: 'draws bootstrap samples and features',
  RandomForestRegressor: 'draws bootstrap samples and features',
  MLPClassifier: 'draws its initial weights and batches',
  MLPRegressor: 'draws its initial weights and batches',
  KMeans: 'draws its initial centers',
};

/** DBSCAN has no predict in sklearn: Benchtop gives a new row the cluster of its nearest core
 * sample within eps, else noise (-1). */
export const PY_DBSCAN_PREDICT = `def dbscan_predict(model, X):
    """The cluster of the nearest core sample within eps, else -1 (Benchtop's DBSCAN.predict)."""
    from sklearn.neighbors import NearestNeighbors
    core = model.components_
    if len(core) == 0:
        return np.full(len(X), -1)
    dist, idx = NearestNeighbors(n_neighbors=1).fit(core).kneighbors(X)
    labels = model.labels_[model.core_sample_indices_][idx[:, 0]]
    return np.where(dist[:, 0] <= model.eps, labels, -1)`;

const CLASSIFICATION = `        pred = model.predict(Xte)
        scores = {
            "accuracy": metrics.accuracy_score(yte, pred),
            "balanced_accuracy": metrics.balanced_accuracy_score(yte, pred),
            "f1_macro": metrics.f1_score(yte, pred, average="macro"),
            "f1_weighted": metrics.f1_score(yte, pred, average="weighted"),
            "precision_macro": metrics.precision_score(yte, pred, average="macro", zero_division=0),
            "recall_macro": metrics.recall_score(yte, pred, average="macro"),
        }`;

const REGRESSION = `        pred = model.predict(Xte)
        scores = {
            "mae": metrics.mean_absolute_error(yte, pred),
            "rmse": float(np.sqrt(metrics.mean_squared_error(yte, pred))),
            "r2": metrics.r2_score(yte, pred),
        }`;

/** Silhouette on at most 2,000 evenly spaced test rows, as Benchtop scores clusters. */
const CLUSTERING = `        labels = dbscan_predict(model, Xte) if MODEL.__name__ == "DBSCAN" else model.predict(Xte)
        sample = np.floor(np.arange(min(len(Xte), 2000)) * (len(Xte) / min(len(Xte), 2000))).astype(int)
        try:
            silhouette = metrics.silhouette_score(Xte[sample], labels[sample])
        except ValueError:  # a single cluster: the silhouette is undefined
            silhouette = float("nan")
        scores = {"silhouette": silhouette}
        if hasattr(model, "cluster_centers_"):
            scores["inertia"] = float(-model.score(Xte))`;

/** The statements of one fold after preprocessing: fit on Xtr/ytr, score on Xte/yte → `scores`. */
export function foldScoring(task: TrainTask): string {
  const fit =
    task === 'clustering'
      ? '        model = make(MODEL, dict(MODEL_PARAMS)).fit(Xtr)'
      : '        model = make(MODEL, dict(MODEL_PARAMS)).fit(Xtr, ytr)';
  return `${fit}\n${task === 'classification' ? CLASSIFICATION : task === 'regression' ? REGRESSION : CLUSTERING}`;
}

/** The model's parameters as sklearn takes them: MLP layer sizes written "64, 32" become a tuple. */
export function sklearnModelParams(params: Record<string, unknown>): Record<string, unknown> {
  const out = { ...params };
  if (typeof out.hidden_layer_sizes === 'string') {
    out.hidden_layer_sizes = out.hidden_layer_sizes
      .split(',')
      .map((v) => Number(v.trim()))
      .filter((v) => Number.isFinite(v));
  }
  return out;
}
