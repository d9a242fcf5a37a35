/**
 * The dataset catalog: every loaded table with its summary (DatasetInfo), inferred types, version
 * (bumped when a column is re-typed, so notebook caches and profiles go stale), cached profile and
 * notebook planner — and the storage policy: file/URL data is kept in the browser (OPFS) so a
 * reload gets it back; samples and synthetic data are rebuilt instead; a full disk is not an
 * error, the dataset then lives in memory and says why.
 */
import { type Table, tableFromIPC, tableToIPC } from 'apache-arrow';
import { profileTable } from '../src/analysis/profile/profile';
import type { ColumnProfile } from '../src/analysis/profile/types';
import { EngineError, throwIfAborted } from '../src/core/errors';
import { formatBytes } from '../src/core/format';
import { logicalType } from '../src/core/frame';
import type { Progress } from '../src/core/job';
import { LIMITS } from '../src/core/limits';
import { shareTable } from '../src/core/shared';
import { type ColumnType, isColumnType } from '../src/core/types';
import type { Compute } from '../src/gpu/device';
import { INFERRED_METADATA_KEY } from '../src/io/build';
import { dateFormatOf } from '../src/io/dates';
import { fingerprintBytes, fingerprintOf } from '../src/io/fingerprint';
import { tableMemoryBytes } from '../src/io/memory';
import { type DatasetStore, isQuotaError, type StoredEntry } from '../src/io/opfs';
import { readTableWithReport } from '../src/io/read';
import { type OriginalColumns, retypeColumn } from '../src/io/retype';
import { syntheticTableAsync } from '../src/io/synthetic';
import type {
  ColumnInfo,
  DatasetInfo,
  DatasetSource,
  DatasetStorage,
  LoadOptions,
  LoadReport,
  StorageEstimate,
  StoredDatasetInfo,
  SyntheticOptions,
} from '../src/io/types';
import { NotebookPlanner } from '../src/pipeline/plan';
import type { NotebookRunResult } from '../src/pipeline/types';
import type { Notebook } from '../src/spec/notebook';

export interface Dataset {
  info: DatasetInfo;
  table: Table;
  inferred: Map<string, ColumnType>;
  /** Bumped whenever the table changes in place (a column re-typed), invalidating notebook caches. */
  version: number;
  profile?: { version: number; columns: ColumnProfile[] };
  planner?: NotebookPlanner;
  /** Column types of the copy in browser storage; the user's later changes are kept as overrides. */
  storedTypes?: Map<string, ColumnType>;
  /** Columns as loaded, kept when first re-typed: changing the type back restores them exactly. */
  originals?: OriginalColumns;
  /** Date formats the user chose, by column (kept with the stored copy like type overrides). */
  dateFormats?: Map<string, string>;
  /** Present values of a re-typed column that did not fit its new type or format, by column. */
  unfit?: Map<string, number>;
}

export interface CatalogEnv {
  store?: DatasetStore | null;
  /** Start of dataset ids ('ds' → ds1, ds2…). */
  idPrefix?: string;
  compute(): Promise<Compute>;
}

type Report = (p: Progress) => void;

const GENERATED_REPORT: LoadReport = {
  format: 'arrow',
  raggedRows: [],
  raggedCount: 0,
  warnings: [],
  parseMs: 0,
};

export type Catalog = ReturnType<typeof createCatalog>;

export function createCatalog(env: CatalogEnv) {
  const datasets = new Map<string, Dataset>();
  let nextId = 1;

  function get(id: string): Dataset {
    const ds = datasets.get(id);
    if (!ds) throw new EngineError('NotFound', `No dataset with id "${id}" is loaded.`);
    return ds;
  }

  function add(
    loaded: Table,
    name: string,
    source: DatasetSource,
    fileBytes: number,
    report: LoadReport,
    fingerprint: string,
    id = `${env.idPrefix ?? 'ds'}${nextId++}`,
  ): Dataset {
    if (loaded.numCols === 0) {
      throw new EngineError('SchemaError', `"${name}" has no columns.`, { file: name });
    }
    // Numeric columns into shared memory once, here, so the compute pool's helpers read them
    // with no copy per kernel (a no-op without helpers: src/core/shared.ts).
    const table = shareTable(loaded);
    const inferred = new Map<string, ColumnType>();
    for (const f of table.schema.fields) {
      // A type forced at load time keeps what inference would have chosen in the field metadata.
      const guess = f.metadata.get(INFERRED_METADATA_KEY);
      inferred.set(f.name, isColumnType(guess) ? guess : logicalType(f));
    }
    const ds: Dataset = {
      table,
      inferred,
      version: 0,
      info: { ...datasetInfo(id, name, source, table, fileBytes, report, inferred), fingerprint },
    };
    datasets.set(id, ds);
    return ds;
  }

  function setStorage(ds: Dataset, storage: DatasetStorage): DatasetInfo {
    ds.info = { ...ds.info, storage };
    return ds.info;
  }

  function typeOverrides(ds: Dataset): Record<string, ColumnType> {
    const out: Record<string, ColumnType> = {};
    for (const c of ds.info.columns) if (ds.storedTypes?.get(c.name) !== c.type) out[c.name] = c.type;
    return out;
  }

  /**
   * Keeps a copy of a file/URL dataset in browser storage so a reload (or a restarted worker) gets
   * it back without the user picking the file again. Samples and synthetic data are rebuilt
   * instead. A full disk is not an error: the dataset works in memory and says why it is not kept.
   */
  async function keep(ds: Dataset, progress: Report): Promise<DatasetInfo> {
    const { info } = ds;
    if (info.source.kind === 'sample' || info.source.kind === 'synthetic') {
      return setStorage(ds, { kind: 'regenerated' });
    }
    if (info.source.kind !== 'file' && info.source.kind !== 'url') return info;
    if (!env.store || !info.fingerprint) {
      return setStorage(ds, {
        kind: 'memory',
        reason: 'unavailable',
        message: `This browser offers no storage for files here (a private window?), so "${info.name}" is kept in memory for this session only.`,
      });
    }
    progress({ phase: 'Keeping a copy in this browser', fraction: null });
    let size = 0;
    try {
      const ipc = tableToIPC(ds.table, 'file');
      size = ipc.byteLength;
      const entry: Omit<StoredEntry, 'bytes' | 'storedAt'> = {
        fingerprint: info.fingerprint,
        name: info.name,
        source: info.source,
        rows: info.rows,
        columns: info.columns.length,
        fileBytes: info.fileBytes,
        report: info.report,
        columnTypes: {},
      };
      const stored = await env.store.put(entry, ipc);
      ds.storedTypes = new Map(info.columns.map((c) => [c.name, c.type]));
      return setStorage(ds, { kind: 'stored', bytes: stored.bytes });
    } catch (e) {
      if (isQuotaError(e)) {
        const est = await env.store.estimate().catch(() => null);
        const room =
          est?.quota != null && est.usage != null
            ? ` (${formatBytes(est.usage)} of ${formatBytes(est.quota)} used)`
            : '';
        return setStorage(ds, {
          kind: 'memory',
          reason: 'quota',
          message: `Browser storage is full${room}: "${info.name}" (${formatBytes(size)}) could not be kept for next time. It works for this session; delete stored datasets under Storage to make room.`,
        });
      }
      return setStorage(ds, {
        kind: 'memory',
        reason: 'error',
        message: `"${info.name}" could not be kept in this browser (${e instanceof Error ? e.message : String(e)}); it works for this session only.`,
      });
    }
  }

  /** Re-types one column in place (reading its text with `dateFormat` when given). */
  function retype(ds: Dataset, column: string, type: ColumnType, dateFormat?: string): DatasetInfo {
    ds.originals ??= new Map();
    const retyped = retypeColumn(ds.table, column, type, ds.originals, dateFormat);
    const { failed } = retyped;
    ds.dateFormats ??= new Map();
    if (dateFormat !== undefined) ds.dateFormats.set(column, dateFormat);
    else ds.dateFormats.delete(column);
    ds.unfit ??= new Map();
    if (failed > 0) ds.unfit.set(column, failed);
    else ds.unfit.delete(column);
    // The re-typed column into shared memory too (the others already are: no copy).
    const table = shareTable(retyped.table);
    ds.table = table;
    ds.version += 1;
    // This column's last misfit count goes; so does the day/month guess once the user chose a format.
    const guess = `Dates in column "${column}" fit both `;
    const warnings = ds.info.report.warnings.filter(
      (w) => !w.startsWith(`Column "${column}": `) && !(dateFormat !== undefined && w.startsWith(guess)),
    );
    if (failed > 0) {
      const count = failed.toLocaleString('en-US');
      warnings.push(
        dateFormat !== undefined
          ? `Column "${column}": ${count} value${failed === 1 ? '' : 's'} did not fit the date format ${dateFormat} and ${failed === 1 ? 'is' : 'are'} now missing; another format (or type) reads ${failed === 1 ? 'it' : 'them'} again.`
          : `Column "${column}": ${count} values could not be read as ${type} and are now missing.`,
      );
    }
    const { id, name, source, fileBytes, report, fingerprint, storage } = ds.info;
    ds.info = {
      ...datasetInfo(id, name, source, table, fileBytes, { ...report, warnings }, ds.inferred, ds.unfit),
      ...(fingerprint ? { fingerprint } : {}),
      ...(storage ? { storage } : {}),
    };
    return ds.info;
  }

  return {
    get,

    list(): DatasetInfo[] {
      return [...datasets.values()].map((d) => d.info);
    },

    /** Parses file bytes into a new dataset and keeps a copy when the policy says so. */
    async loadBytes(
      bytes: Uint8Array,
      fileName: string,
      source: DatasetSource,
      options: LoadOptions | undefined,
      signal: AbortSignal,
      progress: Report,
    ): Promise<DatasetInfo> {
      const { table, report } = await readTableWithReport(bytes, fileName, {
        ...options,
        signal,
        onProgress: progress,
      });
      throwIfAborted(signal);
      const name = options?.name ?? fileName;
      const ds = add(table, name, source, bytes.byteLength, report, fingerprintBytes(bytes));
      return keep(ds, progress);
    },

    async addSynthetic(
      options: SyntheticOptions,
      signal: AbortSignal,
      progress: Report,
    ): Promise<DatasetInfo> {
      if (!Number.isInteger(options.rows) || options.rows < 1 || options.rows > LIMITS.syntheticRows) {
        throw new EngineError(
          'InvalidArgument',
          `Rows must be a whole number from 1 to ${LIMITS.syntheticRows.toLocaleString('en-US')}, not ${options.rows}.`,
        );
      }
      const started = Date.now();
      const table = await syntheticTableAsync(
        options,
        (fraction) => progress({ phase: 'Generating', fraction }),
        signal,
      );
      const report: LoadReport = { ...GENERATED_REPORT, warnings: [], parseMs: Date.now() - started };
      const name = `Synthetic ${options.rows.toLocaleString('en-US')} rows (seed ${options.seed})`;
      const fingerprint = fingerprintOf([
        'synthetic',
        1,
        options.rows,
        options.seed,
        options.columns ?? 'default',
      ]);
      const source: DatasetSource = { kind: 'synthetic', rows: options.rows, seed: options.seed };
      return setStorage(add(table, name, source, 0, report, fingerprint), { kind: 'regenerated' });
    },

    /** Forgets a dataset (and its notebook output); its stored copy goes too unless another loaded
     * dataset (the same file loaded twice, or a reload with other options) still uses it. */
    async remove(id: string): Promise<void> {
      const { info } = get(id);
      datasets.delete(id);
      datasets.delete(`${id}.out`);
      const fp = info.fingerprint;
      if (env.store && fp && info.storage?.kind === 'stored') {
        const stillUsed = [...datasets.values()].some((d) => d.info.fingerprint === fp);
        if (!stillUsed) await env.store.delete(fp).catch(() => false);
      }
    },

    async setColumnType(
      datasetId: string,
      column: string,
      type: ColumnType,
      dateFormat?: string,
    ): Promise<DatasetInfo> {
      const ds = get(datasetId);
      if (!isColumnType(type))
        throw new EngineError('InvalidArgument', `"${String(type)}" is not a column type.`);
      if (!ds.table.schema.fields.some((f) => f.name === column)) {
        throw new EngineError('NotFound', `Column "${column}" is not in "${ds.info.name}".`);
      }
      if (dateFormat !== undefined && type !== 'date' && type !== 'datetime') {
        throw new EngineError(
          'InvalidArgument',
          `A date format applies to date and datetime columns, not to ${type}.`,
          { hint: `Choose the type date or datetime with the format "${dateFormat}".` },
        );
      }
      const info = retype(ds, column, type, dateFormat);
      if (info.storage?.kind === 'stored' && info.fingerprint && env.store) {
        // The stored copy keeps its types; the user's choice is re-applied when it is restored.
        await env.store
          .update(info.fingerprint, {
            columnTypes: typeOverrides(ds),
            dateFormats: Object.fromEntries(ds.dateFormats ?? []),
          })
          .catch(() => false);
      }
      return info;
    },

    /** The column profiles of the dataset's current version (computed once per version). */
    async profileOf(ds: Dataset, signal: AbortSignal, progress: Report): Promise<ColumnProfile[]> {
      if (ds.profile && ds.profile.version === ds.version) return ds.profile.columns;
      const columns = await profileTable(ds.table, await env.compute(), { signal, onProgress: progress });
      ds.profile = { version: ds.version, columns };
      return columns;
    },

    /** Runs the notebook incrementally over the dataset; its output is registered as `<id>.out`. */
    async runNotebook(
      datasetId: string,
      notebook: Notebook,
      signal: AbortSignal,
      progress: Report,
    ): Promise<NotebookRunResult> {
      const ds = get(datasetId);
      if (ds.info.source.kind === 'derived') {
        throw new EngineError(
          'InvalidArgument',
          'Run the notebook on the original dataset, not on its output.',
        );
      }
      ds.planner ??= new NotebookPlanner();
      const { table, runs } = await ds.planner.run(
        {
          table: ds.table,
          dataKey: `${datasetId}@${ds.version}`,
          steps: notebook.steps,
          seed: notebook.seed,
          target: notebook.target,
        },
        {
          compute: await env.compute(),
          signal,
          progress: (fraction: number, note: string) => progress({ phase: note, fraction }),
        },
      );
      const outId = `${datasetId}.out`;
      const output =
        table === ds.table && datasets.has(outId)
          ? get(outId).info
          : add(
              table,
              `${ds.info.name} → notebook`,
              { kind: 'derived', from: datasetId },
              0,
              { ...GENERATED_REPORT, warnings: [] },
              `${ds.info.fingerprint ?? datasetId}+nb`,
              outId,
            ).info;
      return { output, steps: runs };
    },

    async stored(): Promise<StoredDatasetInfo[]> {
      if (!env.store) return [];
      return (await env.store.list()).map((e) => ({
        fingerprint: e.fingerprint,
        name: e.name,
        source: e.source,
        rows: e.rows,
        columns: e.columns,
        bytes: e.bytes,
        storedAt: e.storedAt,
      }));
    },

    async restore(fingerprint: string, signal: AbortSignal, progress: Report): Promise<DatasetInfo> {
      const loaded = [...datasets.values()].find(
        (d) => d.info.fingerprint === fingerprint && d.info.storage?.kind === 'stored',
      );
      if (loaded) return loaded.info;
      progress({ phase: 'Reading from browser storage', fraction: null });
      const found = env.store ? await env.store.read(fingerprint) : null;
      if (!found) {
        throw new EngineError('NotFound', 'That dataset is no longer stored in this browser.', {
          hint: 'Open the file again.',
        });
      }
      throwIfAborted(signal);
      const { entry, ipc } = found;
      const ds = add(
        tableFromIPC(ipc),
        entry.name,
        entry.source,
        entry.fileBytes ?? 0,
        entry.report,
        entry.fingerprint,
      );
      ds.storedTypes = new Map(ds.info.columns.map((c) => [c.name, c.type]));
      const formats = entry.dateFormats ?? {};
      for (const column of new Set([...Object.keys(entry.columnTypes), ...Object.keys(formats)])) {
        const type = entry.columnTypes[column] ?? ds.storedTypes.get(column);
        if (!isColumnType(type) || !ds.storedTypes.has(column)) continue;
        const format = type === 'date' || type === 'datetime' ? formats[column] : undefined;
        try {
          retype(ds, column, type, typeof format === 'string' ? format : undefined);
        } catch {
          // An index written by hand or by an older version: keep the column as stored.
        }
      }
      progress({ phase: 'Reading from browser storage', fraction: 1 });
      return setStorage(ds, { kind: 'stored', bytes: entry.bytes });
    },

    async deleteStored(fingerprint: string): Promise<void> {
      if (!env.store) return;
      await env.store.delete(fingerprint);
      for (const d of datasets.values()) {
        if (d.info.fingerprint === fingerprint && d.info.storage?.kind === 'stored') {
          setStorage(d, {
            kind: 'memory',
            reason: 'error',
            message: `The stored copy of "${d.info.name}" was deleted; it stays loaded for this session.`,
          });
        }
      }
    },

    async storageEstimate(): Promise<StorageEstimate> {
      if (!env.store) return { usage: null, quota: null, available: false };
      const e = await env.store.estimate().catch(() => ({ usage: null, quota: null }));
      return { ...e, available: true };
    },
  };
}

function datasetInfo(
  id: string,
  name: string,
  source: DatasetSource,
  table: Table,
  fileBytes: number,
  report: LoadReport,
  inferred: Map<string, ColumnType>,
  unfit?: ReadonlyMap<string, number>,
): DatasetInfo {
  const columns: ColumnInfo[] = table.schema.fields.map((f, i) => {
    const type = logicalType(f);
    const failed = unfit?.get(f.name);
    return {
      name: f.name,
      type,
      inferredType: inferred.get(f.name) ?? type,
      arrowType: String(f.type),
      missing: table.getChildAt(i)?.nullCount ?? 0,
      ...dateFormatOf(f),
      ...(failed ? { unfit: failed } : {}),
    };
  });
  return {
    id,
    name,
    source,
    rows: table.numRows,
    columns,
    memoryBytes: tableMemoryBytes(table),
    fileBytes,
    report,
  };
}
