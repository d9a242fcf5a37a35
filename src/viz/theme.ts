import { interpolateCividis, interpolateRdBu, interpolateViridis } from 'd3';

/**
 * Colours and type for every view. Values mirror the CSS variables of src/ui/app.css so a chart
 * sits in the page without a seam; `themeFromCss` reads the live variables when the page has them.
 */
export interface Theme {
  readonly mode: 'light' | 'dark';
  readonly background: string;
  readonly text: string;
  readonly textMuted: string;
  readonly grid: string;
  readonly axis: string;
  /** Bars and marks when nothing is selected. */
  readonly mark: string;
  /** Marks inside the current selection. */
  readonly selected: string;
  /** Marks outside the current selection (kept visible as context). */
  readonly unselected: string;
  readonly missing: string;
  readonly other: string;
  readonly font: string;
  readonly fontSize: number;
}

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';

export const lightTheme: Theme = {
  mode: 'light',
  background: '#ffffff',
  text: '#1f2328',
  textMuted: '#656d76',
  grid: '#dde1e7',
  axis: '#c5cbd4',
  mark: '#2f6fde',
  selected: '#e69f00',
  unselected: '#c5cbd4',
  missing: '#9aa1aa',
  other: '#9aa1aa',
  font: FONT,
  fontSize: 11,
};

export const darkTheme: Theme = {
  mode: 'dark',
  background: '#1b1e23',
  text: '#e3e6ea',
  textMuted: '#9aa3ad',
  grid: '#363c45',
  axis: '#4a515c',
  mark: '#5b93f0',
  selected: '#f0b429',
  unselected: '#4a515c',
  missing: '#6b737d',
  other: '#6b737d',
  font: FONT,
  fontSize: 11,
};

/** Okabe & Ito (2008): distinguishable under the common colour-vision deficiencies. */
export const OKABE_ITO: readonly string[] = [
  '#0072b2',
  '#e69f00',
  '#009e73',
  '#cc79a7',
  '#56b4e9',
  '#d55e00',
  '#f0e442',
  '#000000',
];

/** On a dark background Okabe–Ito's black is invisible; use a light grey in its place. */
export function categoricalPalette(theme: Theme): readonly string[] {
  return theme.mode === 'dark' ? [...OKABE_ITO.slice(0, 7), '#d0d4da'] : OKABE_ITO;
}

export function categoricalColor(theme: Theme, code: number): string {
  const palette = categoricalPalette(theme);
  return palette[((code % palette.length) + palette.length) % palette.length]!;
}

export type SequentialName = 'viridis' | 'cividis';

export function sequentialInterpolator(name: SequentialName = 'viridis'): (t: number) => string {
  return name === 'cividis' ? interpolateCividis : interpolateViridis;
}

/**
 * Diverging colours for correlations, centred at 0: -1 blue, 0 near white, +1 red. RdBu is
 * readable under deuteranopia and protanopia; on dark themes the white centre is dimmed so weak
 * correlations do not glare.
 */
export function divergingColor(theme: Theme): (value: number) => string {
  return (value) => {
    if (!Number.isFinite(value)) return theme.missing;
    const v = Math.max(-1, Math.min(1, value));
    const c = interpolateRdBu((1 - v) / 2);
    if (theme.mode === 'light') return c;
    return mixHex(c, theme.background, 0.35 * (1 - Math.abs(v)));
  };
}

/** Parses `#rgb`, `#rrggbb` and `rgb(r, g, b)` into 0–255 channels; anything else is mid grey. */
export function parseColor(color: string): [number, number, number] {
  const c = color.trim();
  if (c.startsWith('#')) {
    const hex = c.length === 4 ? [...c.slice(1)].map((ch) => ch + ch).join('') : c.slice(1, 7);
    const n = Number.parseInt(hex, 16);
    if (Number.isFinite(n)) return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }
  const m = /rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(c);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  return [128, 128, 128];
}

function mixHex(a: string, b: string, t: number): string {
  const ca = parseColor(a);
  const cb = parseColor(b);
  const ch = (i: number) => Math.round(ca[i]! * (1 - t) + cb[i]! * t);
  return `rgb(${ch(0)}, ${ch(1)}, ${ch(2)})`;
}

/** Picks black or white text for a cell of the given fill (WCAG relative luminance). */
export function textOn(fill: string): string {
  const [r, g, b] = parseColor(fill).map((v) => {
    const s = v / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.4 ? '#111111' : '#ffffff';
}

/**
 * The theme the page is showing, read from app.css's variables on `element` (default: the root).
 * Falls back to the built-in light/dark values for any variable that is not set.
 */
export function themeFromCss(element?: Element): Theme {
  const el = element ?? globalThis.document?.documentElement;
  const view = el?.ownerDocument?.defaultView;
  if (!el || !view) return lightTheme;
  const style = view.getComputedStyle(el);
  const read = (name: string) => style.getPropertyValue(name).trim();
  const bg = read('--bg');
  const dark = bg ? luminance(bg) < 0.3 : Boolean(view.matchMedia?.('(prefers-color-scheme: dark)').matches);
  const base = dark ? darkTheme : lightTheme;
  return {
    ...base,
    background: bg || base.background,
    text: read('--text') || base.text,
    textMuted: read('--text-muted') || base.textMuted,
    grid: read('--border') || base.grid,
    axis: read('--border-strong') || base.axis,
    mark: read('--accent') || base.mark,
    missing: read('--text-faint') || base.missing,
    other: read('--text-faint') || base.other,
  };
}

function luminance(color: string): number {
  const [r, g, b] = parseColor(color);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

/** `theme` option of every view: a Theme, 'light'/'dark', or 'auto' (read the page's CSS). */
export type ThemeOption = Theme | 'light' | 'dark' | 'auto';

export function resolveTheme(option: ThemeOption | undefined): Theme {
  if (option === undefined || option === 'light') return lightTheme;
  if (option === 'dark') return darkTheme;
  if (option === 'auto') return themeFromCss();
  return option;
}
