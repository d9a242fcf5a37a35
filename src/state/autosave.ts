/**
 * A tiny key-value store over IndexedDB (one database, one object store), for autosaving the
 * notebook and, later, runs and models. Values are stored by structured clone. Whatever comes
 * back is untrusted (another tab, an older build, a user with devtools): callers validate it.
 * `createMemoryStore` has the same interface for tests and for browsers without IndexedDB.
 */

export interface KeyValueStore {
  save(key: string, value: unknown): Promise<void>;
  /** The stored value, or undefined when there is none (or storage is unavailable). */
  load(key: string): Promise<unknown>;
}

const DB_NAME = 'benchtop';
const STORE = 'kv';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

export function createIdbStore(
  factory: IDBFactory | undefined = globalThis.indexedDB,
  dbName = DB_NAME,
): KeyValueStore {
  let db: Promise<IDBDatabase> | undefined;
  const open = (): Promise<IDBDatabase> => {
    if (!factory) return Promise.reject(new Error('IndexedDB is not available in this browser.'));
    db ??= new Promise<IDBDatabase>((resolve, reject) => {
      const req = factory.open(dbName, 1);
      req.onupgradeneeded = () => {
        if (!req.result.objectStoreNames.contains(STORE)) req.result.createObjectStore(STORE);
      };
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
      req.onblocked = () => reject(new Error('IndexedDB is blocked by another tab.'));
    });
    // A failed open is retried on the next call rather than remembered forever.
    db.catch(() => {
      db = undefined;
    });
    return db;
  };
  return {
    async save(key, value) {
      const tx = (await open()).transaction(STORE, 'readwrite');
      tx.objectStore(STORE).put(value, key);
      await new Promise<void>((resolve, reject) => {
        tx.oncomplete = () => resolve();
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error ?? new Error('The save was aborted.'));
      });
    },
    async load(key) {
      const tx = (await open()).transaction(STORE, 'readonly');
      return request(tx.objectStore(STORE).get(key));
    },
  };
}

export function createMemoryStore(): KeyValueStore & { data: Map<string, unknown> } {
  const data = new Map<string, unknown>();
  return {
    data,
    async save(key, value) {
      data.set(key, structuredClone(value));
    },
    async load(key) {
      return data.has(key) ? structuredClone(data.get(key)) : undefined;
    },
  };
}

let defaultStore: KeyValueStore | undefined;

/** The app's store (IndexedDB), opened on first use. */
export function appStore(): KeyValueStore {
  defaultStore ??= createIdbStore();
  return defaultStore;
}

export const save = (key: string, value: unknown): Promise<void> => appStore().save(key, value);
export const load = (key: string): Promise<unknown> => appStore().load(key);
