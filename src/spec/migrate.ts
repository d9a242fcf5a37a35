/**
 * Upgrades notebooks saved by older Benchtops, one version at a time (v(n) → v(n+1)), the way
 * vega-lite normalizes old specs: the rest of the app only ever sees the current version.
 *
 * To change the document: bump NOTEBOOK_VERSION, change the types, regenerate the schema, and
 * append a Migration from the old version here with a note saying what changed for the user.
 * Migrations run on plain JSON that has passed the safety checks of parse.ts (no prototype keys,
 * bounded size) but not yet the schema, so they must tolerate missing or odd fields.
 */
import { NOTEBOOK_VERSION } from './notebook.ts';

export type JsonObject = { [key: string]: unknown };

export interface Migration {
  /** The version this migration reads; it returns a document of version `from + 1`. */
  from: number;
  /** What changed, in words for the user (shown as a warning after opening an old notebook). */
  note: string;
  up(doc: JsonObject): JsonObject;
}

/** v1 is the first released version, so there is nothing to upgrade from yet. */
export const MIGRATIONS: readonly Migration[] = [];

export class MigrationError extends Error {
  override name = 'MigrationError';
}

export interface MigrationResult {
  doc: JsonObject;
  /** One sentence per applied migration, oldest first. */
  notes: string[];
}

/**
 * Brings `doc` to version `target`. Throws MigrationError with a message for the user when the
 * document has no usable version, is newer than `target`, or is older than any known migration.
 */
export function migrate(
  doc: unknown,
  migrations: readonly Migration[] = MIGRATIONS,
  target: number = NOTEBOOK_VERSION,
): MigrationResult {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new MigrationError('The notebook must be a JSON object.');
  }
  let current = doc as JsonObject;
  let version = versionOf(current);
  if (version > target) {
    throw new MigrationError(
      `This notebook was made by a newer Benchtop (notebook version ${version}; this one reads up to version ${target}). Reload the page to update Benchtop, then open the link again.`,
    );
  }
  const notes: string[] = [];
  while (version < target) {
    const step = migrations.find((m) => m.from === version);
    if (!step) {
      throw new MigrationError(
        `This notebook has version ${version}, which is older than any version this Benchtop can upgrade (oldest known: ${oldestKnown(migrations, target)}).`,
      );
    }
    const next = step.up(current);
    const reached = versionOf(next);
    // A migration that does not land on the next version is a bug here, not in the document.
    if (reached !== version + 1) throw new Error(`Migration from v${version} produced v${reached}`);
    notes.push(`Upgraded from notebook version ${version} to ${reached}: ${step.note}`);
    current = next;
    version = reached;
  }
  return { doc: current, notes };
}

function versionOf(doc: JsonObject): number {
  if (!Object.hasOwn(doc, 'version')) {
    throw new MigrationError(
      'The notebook has no "version" field, so it was not made by Benchtop or is damaged.',
    );
  }
  const version = doc.version;
  if (typeof version !== 'number' || !Number.isSafeInteger(version)) {
    throw new MigrationError('The notebook\'s "version" must be a whole number.');
  }
  return version;
}

function oldestKnown(migrations: readonly Migration[], target: number): number {
  return Math.min(target, ...migrations.map((m) => m.from));
}
