/**
 * The built-in sample datasets (files in public/samples/, written by
 * tests/fixtures/sklearn/make_samples.py; sources and licenses in public/samples/README.md).
 * `rows` and `columns` count data rows (no header) and all columns including `target`;
 * tests/io/samples.test.ts checks them against the files.
 */

import { EngineError } from '../core/errors';
import type { SampleInfo } from './types';

/** Folder of the sample files, relative to the app's base URL (Vite serves public/ at the root). */
export const SAMPLES_DIR = 'samples/';

const UCI_LICENSE = 'CC BY 4.0 (UCI Machine Learning Repository), via scikit-learn (BSD-3)';

export const SAMPLES: SampleInfo[] = [
  {
    name: 'iris',
    title: 'Iris flowers',
    description:
      'Sepal and petal length and width (cm) of 150 iris flowers; predict the species (setosa, versicolor, virginica; 50 each).',
    rows: 150,
    columns: 5,
    task: 'classification',
    target: 'target',
    source: `R. A. Fisher (1936), as shipped with scikit-learn. License: ${UCI_LICENSE}.`,
  },
  {
    name: 'wine',
    title: 'Wine recognition',
    description:
      'Thirteen chemical measurements of 178 Italian wines; predict which of three cultivars (class_0, class_1, class_2) made each wine.',
    rows: 178,
    columns: 14,
    task: 'classification',
    target: 'target',
    source: `M. Forina et al., PARVUS, Genoa; UCI Wine dataset. License: ${UCI_LICENSE}.`,
  },
  {
    name: 'breast_cancer',
    title: 'Breast cancer (Wisconsin diagnostic)',
    description:
      '30 features of cell nuclei from 569 fine-needle aspirate images; predict malignant (212) or benign (357).',
    rows: 569,
    columns: 31,
    task: 'classification',
    target: 'target',
    source: `W. H. Wolberg, W. N. Street, O. L. Mangasarian (1995), University of Wisconsin. License: ${UCI_LICENSE}.`,
  },
  {
    name: 'diabetes',
    title: 'Diabetes progression',
    description:
      'Age, sex, BMI, blood pressure and six blood serum measurements of 442 patients in their real units (not scikit-learn’s scaled version); predict disease progression one year later.',
    rows: 442,
    columns: 11,
    task: 'regression',
    target: 'target',
    source:
      'B. Efron, T. Hastie, I. Johnstone, R. Tibshirani, "Least Angle Regression" (2004), as shipped with scikit-learn (load_diabetes(scaled=False)). No explicit license from the original source; redistributed in scikit-learn (BSD-3).',
  },
  {
    name: 'digits',
    title: 'Handwritten digits (8×8)',
    description:
      '1797 handwritten digits as 8×8 images of pixel counts 0–16 (64 integer columns); predict the digit 0–9.',
    rows: 1797,
    columns: 65,
    task: 'classification',
    target: 'target',
    source: `E. Alpaydin, C. Kaynak (1998), UCI Optical Recognition of Handwritten Digits (test set). License: ${UCI_LICENSE}.`,
  },
  {
    name: 'iris_missing',
    title: 'Iris with missing values',
    description:
      'Iris with about 5% of the measurements missing (empty, NA or ?) and two invented columns, a site (categorical) and a date, to practise cleaning. Derived, not real data.',
    rows: 150,
    columns: 7,
    task: 'classification',
    target: 'target',
    source: `Derived from iris by a seeded script (tests/fixtures/sklearn/make_samples.py). License: as iris, ${UCI_LICENSE}.`,
  },
];

/** The file name of a sample inside SAMPLES_DIR, e.g. `iris` → `iris.csv`. */
export function sampleFile(name: string): string {
  if (!SAMPLES.some((s) => s.name === name)) {
    const known = SAMPLES.map((s) => s.name).join(', ');
    throw new EngineError(
      'NotFound',
      `There is no sample dataset named "${name}". Known samples: ${known}.`,
      {
        hint: `Choose one of: ${known}.`,
        known: SAMPLES.map((s) => s.name),
      },
    );
  }
  return `${name}.csv`;
}
