/**
 * One colour scale per categorical column, shared by every linked view: the box plot, the scatter,
 * the SPLOM and the embedding give a category the same colour because they all ask `colourFor`
 * with the column's categories, and the scale orders them itself (numbers numerically, text in
 * natural order) — so neither the order a view lists them in (box plots by label, the worker's
 * colour codes by frequency) nor a subset a view leaves out changes a colour.
 */
import { categoricalColor, type Theme } from './theme.ts';

/** The worker's bucket for categories beyond the ones it names, and for missing values. */
export const OTHER_CATEGORY = 'other';
export const MISSING_CATEGORY = '(missing)';

export interface CategoryColours {
  /** The column the scale belongs to (legend title, and which views may share it). */
  readonly column: string;
  /** The categories with a palette colour, in the scale's order (palette index = position,
   * wrapping after the palette's 8 colours). */
  readonly domain: readonly string[];
  /** The colour of a category under a theme: greys for "other", missing and unknown labels. */
  color(label: string, theme: Theme): string;
}

const collator = new Intl.Collator('en', { numeric: true });

/** The scale's order: numerically when every label is a number ("2" before "10", "−1" first), else natural text order. */
export function orderCategories(labels: readonly string[]): string[] {
  const unique = [...new Set(labels)].filter((l) => l !== OTHER_CATEGORY && l !== MISSING_CATEGORY);
  const numeric = unique.length > 0 && unique.every((l) => l.trim() !== '' && Number.isFinite(Number(l)));
  return numeric
    ? unique.sort((a, b) => Number(a) - Number(b) || collator.compare(a, b))
    : unique.sort((a, b) => collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** The colour scale of `column` over its categories (the worker's list, "other" and "(missing)" included or not). */
export function colourFor(column: string, categories: readonly string[]): CategoryColours {
  const domain = orderCategories(categories);
  const index = new Map(domain.map((label, i) => [label, i]));
  return {
    column,
    domain,
    color(label, theme) {
      if (label === MISSING_CATEGORY) return theme.missing;
      const i = index.get(label);
      return i === undefined ? theme.other : categoricalColor(theme, i);
    },
  };
}
