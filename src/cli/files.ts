/** Writing the outputs: one folder, file names from model labels, nothing outside it. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/** "LogisticRegression #2" → "LogisticRegression-2": safe on every file system. */
export function fileSlug(label: string): string {
  return label.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'model';
}

export async function outDir(cwd: string, dir: string): Promise<string> {
  const path = resolve(cwd, dir);
  await mkdir(path, { recursive: true });
  return path;
}

export async function writeOut(dir: string, name: string, data: string | Uint8Array): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, data);
  return path;
}
