import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '__snapshots__');

/** Pretty-prints serialized SVG one element per line (text kept inline), so a changed snapshot diffs readably. */
export function prettySvg(markup: string): string {
  const tokens = markup.match(/<[^>]+>|[^<]+/g) ?? [];
  const out: string[] = [];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (!token.startsWith('<')) {
      if (token.trim()) out.push(`${'  '.repeat(depth)}${token.trim()}`);
      continue;
    }
    if (token.startsWith('</')) {
      depth--;
      out.push(`${'  '.repeat(depth)}${token}`);
    } else if (token.endsWith('/>')) {
      out.push(`${'  '.repeat(depth)}${token}`);
    } else if (tokens[i + 1] && !tokens[i + 1]!.startsWith('<') && tokens[i + 2]?.startsWith('</')) {
      out.push(`${'  '.repeat(depth)}${token}${tokens[i + 1]}${tokens[i + 2]}`);
      i += 2;
    } else {
      out.push(`${'  '.repeat(depth)}${token}`);
      depth++;
    }
  }
  return `${out.join('\n')}\n`;
}

/**
 * Observable Plot's snapshot discipline: compare with `__snapshots__/<name>.svg`; on a difference
 * write `<name>-changed.svg` beside it for review and fail; when missing, write it and pass.
 */
export function expectSvgSnapshot(name: string, markup: string): void {
  const actual = prettySvg(markup);
  const file = join(DIR, `${name}.svg`);
  const changed = join(DIR, `${name}-changed.svg`);
  mkdirSync(DIR, { recursive: true });
  if (!existsSync(file)) {
    writeFileSync(file, actual);
    console.info(`snapshot: wrote new ${name}.svg — review it and commit it`);
    return;
  }
  const expected = readFileSync(file, 'utf8');
  if (expected === actual) {
    if (existsSync(changed)) rmSync(changed);
    return;
  }
  writeFileSync(changed, actual);
  expect.fail(`snapshot ${name}.svg differs; see ${name}-changed.svg (move it over the old one if intended)`);
}
