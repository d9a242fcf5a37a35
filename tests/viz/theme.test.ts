// @vitest-environment happy-dom
import { afterEach, describe, expect, it } from 'vitest';
import { heatmap } from '../../src/viz/heatmap.ts';
import {
  categoricalPalette,
  darkTheme,
  lightTheme,
  resolveTheme,
  themeFromCss,
} from '../../src/viz/theme.ts';

describe('theme', () => {
  afterEach(() => document.documentElement.removeAttribute('style'));

  it("reads the page's CSS variables, and picks dark mode from a dark background", () => {
    const root = document.documentElement;
    root.style.setProperty('--bg', '#1b1e23');
    root.style.setProperty('--text', '#e3e6ea');
    root.style.setProperty('--accent', '#5b93f0');
    const theme = themeFromCss(root);
    expect(theme.mode).toBe('dark');
    expect(theme.background).toBe('#1b1e23');
    expect(theme.mark).toBe('#5b93f0');
    expect(theme.selected).toBe(darkTheme.selected); // not a CSS variable: from the built-in dark theme
    expect(resolveTheme('auto').mode).toBe('dark');
  });

  it('falls back to the light theme without variables, and swaps black out of the dark palette', () => {
    expect(themeFromCss(document.documentElement).background).toBe(lightTheme.background);
    expect(categoricalPalette(lightTheme)).toContain('#000000');
    expect(categoricalPalette(darkTheme)).not.toContain('#000000');
  });

  it('views take the page theme with theme: "auto"', () => {
    document.documentElement.style.setProperty('--bg', '#101010');
    const svg = heatmap({ labels: ['a', 'b'], values: [1, 0.5, 0.5, 1] }, { theme: 'auto' });
    expect(svg.querySelector('.background')?.getAttribute('fill')).toBe('#101010');
  });
});
