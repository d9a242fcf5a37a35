/**
 * Datasets kept in the browser between visits: the worker writes each file/URL dataset as an Arrow
 * IPC file into the Origin Private File System, keyed by its fingerprint, next to a small JSON
 * index (name, source, rows, columns, bytes, date). The index logic runs on a minimal `Folder`
 * (read/write/remove a named file), so Node tests drive it with an in-memory folder and the
 * browser with an OPFS directory; both fail the same way when the quota is exceeded.
 */

import type { ColumnType } from '../core/types';
import type { LoadReport, StoredDatasetInfo } from './types';

/** What a folder must do for the store. Names are flat (no slashes). */
export interface Folder {
  read(name: string): Promise<Uint8Array | null>;
  write(name: string, bytes: Uint8Array): Promise<void>;
  remove(name: string): Promise<void>;
  /** Bytes used and available, when the platform knows. */
  estimate(): Promise<{ usage: number | null; quota: number | null }>;
}

/** What is kept next to the bytes to list and restore a dataset without reading it. */
export interface StoredEntry extends StoredDatasetInfo {
  report: LoadReport;
  /** Size of the file as it was loaded (DatasetInfo.fileBytes). */
  fileBytes?: number;
  /** Column types the user chose after loading, re-applied on restore. */
  columnTypes: Record<string, ColumnType>;
  /** Date formats the user chose after loading (strftime or "ISO8601"), re-applied on restore. */
  dateFormats?: Record<string, string>;
}

export interface DatasetStore {
  list(): Promise<StoredEntry[]>;
  /** Writes the bytes, then the index entry: a failed write (quota) never leaves an entry behind. */
  put(entry: Omit<StoredEntry, 'bytes' | 'storedAt'>, ipc: Uint8Array): Promise<StoredEntry>;
  /** Updates index fields (e.g. column types) of an entry that exists; false when it does not. */
  update(
    fingerprint: string,
    patch: Partial<Pick<StoredEntry, 'columnTypes' | 'dateFormats' | 'name'>>,
  ): Promise<boolean>;
  read(fingerprint: string): Promise<{ entry: StoredEntry; ipc: Uint8Array } | null>;
  delete(fingerprint: string): Promise<boolean>;
  estimate(): Promise<{ usage: number | null; quota: number | null }>;
  /** Small files kept next to the datasets (deployed models, named slices): null when absent.
   * Names are flat and checked (sideFileName); a write replaces the whole file. */
  readSide(name: string): Promise<Uint8Array | null>;
  writeSide(name: string, bytes: Uint8Array): Promise<void>;
  removeSide(name: string): Promise<void>;
}

/** A side file's name in the folder: prefixed so it never meets a dataset file or the index. */
export function sideFileName(name: string): string {
  if (!/^[0-9a-z_.+-]{1,120}$/i.test(name)) throw new Error(`Bad side file name "${name}"`);
  return `side-${name.replace(/\+/g, '_')}`;
}

const INDEX = 'index.json';
const INDEX_VERSION = 1;

/** A fingerprint as a file name: fingerprints are hex + base36, but never trust a name blindly. */
export function fileNameOf(fingerprint: string): string {
  if (!/^[0-9a-z+-]{1,80}$/i.test(fingerprint)) throw new Error(`Bad fingerprint "${fingerprint}"`);
  return `${fingerprint.replace(/\+/g, '_')}.arrow`;
}

export function isQuotaError(e: unknown): boolean {
  return (
    typeof e === 'object' &&
    e !== null &&
    'name' in e &&
    ((e as { name: unknown }).name === 'QuotaExceededError' ||
      // Firefox's legacy name.
      (e as { name: unknown }).name === 'NS_ERROR_DOM_QUOTA_REACHED')
  );
}

export function createDatasetStore(folder: Folder, now: () => Date = () => new Date()): DatasetStore {
  // One operation at a time, so two loads finishing together cannot lose each other's index entry.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work, work);
    queue = next.catch(() => undefined);
    return next;
  };

  async function readIndex(): Promise<StoredEntry[]> {
    const bytes = await folder.read(INDEX);
    if (!bytes) return [];
    try {
      const parsed = JSON.parse(new TextDecoder().decode(bytes)) as { version?: number; entries?: unknown };
      if (parsed.version !== INDEX_VERSION || !Array.isArray(parsed.entries)) return [];
      return parsed.entries.filter(isEntry);
    } catch {
      // A torn or foreign index: start over rather than refuse to boot. The data files stay until
      // a put or delete of the same fingerprint replaces them.
      return [];
    }
  }

  async function writeIndex(entries: StoredEntry[]): Promise<void> {
    const json = JSON.stringify({ version: INDEX_VERSION, entries });
    await folder.write(INDEX, new TextEncoder().encode(json));
  }

  return {
    list: () => serial(readIndex),

    put: (entry, ipc) =>
      serial(async () => {
        const name = fileNameOf(entry.fingerprint);
        try {
          await folder.write(name, ipc);
        } catch (e) {
          await folder.remove(name).catch(() => undefined);
          throw e;
        }
        const stored: StoredEntry = { ...entry, bytes: ipc.byteLength, storedAt: now().toISOString() };
        const entries = (await readIndex()).filter((e) => e.fingerprint !== entry.fingerprint);
        entries.push(stored);
        try {
          await writeIndex(entries);
        } catch (e) {
          await folder.remove(name).catch(() => undefined);
          throw e;
        }
        return stored;
      }),

    update: (fingerprint, patch) =>
      serial(async () => {
        const entries = await readIndex();
        const index = entries.findIndex((e) => e.fingerprint === fingerprint);
        if (index < 0) return false;
        entries[index] = { ...entries[index]!, ...patch };
        await writeIndex(entries);
        return true;
      }),

    read: (fingerprint) =>
      serial(async () => {
        const entry = (await readIndex()).find((e) => e.fingerprint === fingerprint);
        if (!entry) return null;
        const ipc = await folder.read(fileNameOf(fingerprint));
        return ipc ? { entry, ipc } : null;
      }),

    delete: (fingerprint) =>
      serial(async () => {
        const entries = await readIndex();
        const kept = entries.filter((e) => e.fingerprint !== fingerprint);
        // Index first: a crash between the two leaves an orphan file, never an entry without data.
        if (kept.length !== entries.length) await writeIndex(kept);
        await folder.remove(fileNameOf(fingerprint)).catch(() => undefined);
        return kept.length !== entries.length;
      }),

    estimate: () => folder.estimate(),

    readSide: (name) => serial(() => folder.read(sideFileName(name))),
    writeSide: (name, bytes) => serial(() => folder.write(sideFileName(name), bytes)),
    removeSide: (name) => serial(() => folder.remove(sideFileName(name))),
  };
}

function isEntry(e: unknown): e is StoredEntry {
  if (typeof e !== 'object' || e === null) return false;
  const r = e as Record<string, unknown>;
  return (
    typeof r.fingerprint === 'string' &&
    typeof r.name === 'string' &&
    typeof r.rows === 'number' &&
    typeof r.bytes === 'number' &&
    typeof r.source === 'object' &&
    r.source !== null &&
    typeof r.report === 'object'
  );
}

/** An in-memory folder with an optional quota, for tests and for browsers without OPFS. */
export function memoryFolder(quotaBytes: number | null = null): Folder & { files: Map<string, Uint8Array> } {
  const files = new Map<string, Uint8Array>();
  const used = () => [...files.values()].reduce((sum, b) => sum + b.byteLength, 0);
  return {
    files,
    async read(name) {
      const b = files.get(name);
      return b ? b.slice() : null;
    },
    async write(name, bytes) {
      const after = used() - (files.get(name)?.byteLength ?? 0) + bytes.byteLength;
      if (quotaBytes !== null && after > quotaBytes) {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      files.set(name, bytes.slice());
    },
    async remove(name) {
      files.delete(name);
    },
    async estimate() {
      return { usage: used(), quota: quotaBytes };
    },
  };
}

/** A folder in the Origin Private File System (worker or window). */
export function opfsFolder(name = 'benchtop-datasets'): Folder {
  let dir: Promise<FileSystemDirectoryHandle> | undefined;
  const open = () => {
    dir ??= navigator.storage.getDirectory().then((root) => root.getDirectoryHandle(name, { create: true }));
    // A refused open (e.g. private browsing) is retried on the next call rather than cached.
    dir.catch(() => {
      dir = undefined;
    });
    return dir;
  };
  return {
    async read(file) {
      try {
        const handle = await (await open()).getFileHandle(file);
        return new Uint8Array(await (await handle.getFile()).arrayBuffer());
      } catch (e) {
        if ((e as { name?: string }).name === 'NotFoundError') return null;
        throw e;
      }
    },
    async write(file, bytes) {
      const handle = await (await open()).getFileHandle(file, { create: true });
      // createWritable writes to a swap file and replaces the file on close: never half a file.
      const writable = await handle.createWritable();
      try {
        await writable.write(bytes as Uint8Array<ArrayBuffer>);
        await writable.close();
      } catch (e) {
        await writable.abort().catch(() => undefined);
        throw e;
      }
    },
    async remove(file) {
      try {
        await (await open()).removeEntry(file);
      } catch (e) {
        if ((e as { name?: string }).name !== 'NotFoundError') throw e;
      }
    },
    async estimate() {
      const e = await navigator.storage.estimate();
      return { usage: e.usage ?? null, quota: e.quota ?? null };
    },
  };
}

/** Whether this context can have an OPFS folder at all. */
export function hasOpfs(): boolean {
  return typeof navigator !== 'undefined' && typeof navigator.storage?.getDirectory === 'function';
}
