/**
 * The one registry of steps: name → definition. Every file in ./steps/ is listed here once (the
 * conformance suite fails when a file is missing from this list), so the engine, the notebook
 * validator and the UI form generator all see the same set.
 */
import { type AnyStepDef, STEP_CATEGORIES } from './step';
import CastType from './steps/CastType';
import CorrelationFilter from './steps/CorrelationFilter';
import DateParts from './steps/DateParts';
import DerivedColumn from './steps/DerivedColumn';
import DropColumns from './steps/DropColumns';
import DropDuplicates from './steps/DropDuplicates';
import FilterRows from './steps/FilterRows';
import IsolationForest from './steps/IsolationForest';
import KBinsDiscretizer from './steps/KBinsDiscretizer';
import KNNImputer from './steps/KNNImputer';
import LocalOutlierFactor from './steps/LocalOutlierFactor';
import Log1p from './steps/Log1p';
import MarkMissing from './steps/MarkMissing';
import MaxAbsScaler from './steps/MaxAbsScaler';
import MinMaxScaler from './steps/MinMaxScaler';
import MissingIndicator from './steps/MissingIndicator';
import Normalizer from './steps/Normalizer';
import OneHotEncoder from './steps/OneHotEncoder';
import OrdinalEncoder from './steps/OrdinalEncoder';
import OutlierClipper from './steps/OutlierClipper';
import OutlierFilter from './steps/OutlierFilter';
import PCA from './steps/PCA';
import PolynomialFeatures from './steps/PolynomialFeatures';
import PowerTransformer from './steps/PowerTransformer';
import QuantileTransformer from './steps/QuantileTransformer';
import RenameColumn from './steps/RenameColumn';
import RobustScaler from './steps/RobustScaler';
import SelectKBest from './steps/SelectKBest';
import SimpleImputer from './steps/SimpleImputer';
import StandardScaler from './steps/StandardScaler';
import TargetEncoder from './steps/TargetEncoder';
import TextFeatures from './steps/TextFeatures';
import TruncatedSVD from './steps/TruncatedSVD';
import VarianceThreshold from './steps/VarianceThreshold';
import type { StepInfo, StepParamInfo } from './types';

/** In the step picker's order: by category (STEP_CATEGORIES), then as listed here. */
const ALL: readonly AnyStepDef[] = [
  DropColumns,
  DropDuplicates,
  FilterRows,
  CastType,
  RenameColumn,
  SimpleImputer,
  KNNImputer,
  MissingIndicator,
  MarkMissing,
  OutlierFilter,
  OutlierClipper,
  IsolationForest,
  LocalOutlierFactor,
  StandardScaler,
  MinMaxScaler,
  RobustScaler,
  MaxAbsScaler,
  Normalizer,
  PowerTransformer,
  QuantileTransformer,
  Log1p,
  OneHotEncoder,
  OrdinalEncoder,
  TargetEncoder,
  PolynomialFeatures,
  KBinsDiscretizer,
  DateParts,
  TextFeatures,
  DerivedColumn,
  VarianceThreshold,
  SelectKBest,
  CorrelationFilter,
  PCA,
  TruncatedSVD,
];

function register(steps: readonly AnyStepDef[]): ReadonlyMap<string, AnyStepDef> {
  const map = new Map<string, AnyStepDef>();
  for (const step of steps) {
    if (map.has(step.name)) throw new Error(`Step "${step.name}" is registered twice.`);
    map.set(step.name, step);
  }
  return map;
}

export const STEPS: ReadonlyMap<string, AnyStepDef> = register(ALL);

export function getStep(name: string): AnyStepDef | undefined {
  return STEPS.get(name);
}

/** Every registered step as the UI sees it (forms, picker groups), group by group. */
export function stepCatalog(): StepInfo[] {
  const rank = (d: AnyStepDef) => STEP_CATEGORIES.indexOf(d.category);
  return [...ALL]
    .map((d, i) => ({ d, i }))
    .sort((a, b) => rank(a.d) - rank(b.d) || a.i - b.i)
    .map(({ d }) => ({
      name: d.name,
      kind: d.kind,
      description: d.description,
      category: d.category,
      params: { ...d.params } as Record<string, StepParamInfo>,
      accepts: [...d.accepts],
      missing: d.missing,
      python: d.python !== undefined,
    }));
}
