/**
 * What the engine keeps next to the datasets in browser storage besides the data (issue 15):
 * deployed models (their artifact JSON + weights and the info the Prototype tab lists) and the
 * named slices of each dataset. A fresh engine — after a reload or a worker crash — reads them back
 * before it answers any call about models, so a model id the UI holds still names the same model,
 * and a restored dataset has its slices again. Slices are keyed by the dataset's fingerprint (its
 * id changes when it is restored). Without a store both live in memory only, as before.
 *
 * Storage failures never fail the user's action: the model or slice works for the session, and a
 * file that cannot be read back is skipped.
 */
import type { DeployedModels } from '../src/analysis/deploy/deployed';
import type { DeployedModelInfo } from '../src/analysis/deploy/types';
import type { KeptSlice } from '../src/analysis/slices/types';
import { EngineError } from '../src/core/errors';
import type { DatasetStore } from '../src/io/opfs';
import type { Catalog } from './datasets';

const MODELS = 'models.json';
const VERSION = 1;

interface ModelEntry {
  info: DeployedModelInfo;
  /** Fingerprint of the dataset it was fitted on: its id changes when that dataset is restored. */
  datasetFingerprint: string | null;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A fingerprint as part of a side file name (fingerprints are hex/base36 with '+'). */
const slicesFile = (fingerprint: string): string => `slices-${fingerprint}`;

/** Slices of one dataset as one file: u32 header length, JSON header, padding to 4, then the rows. */
export function encodeSlices(slices: readonly KeptSlice[]): Uint8Array {
  const header = encoder.encode(
    JSON.stringify({
      version: VERSION,
      slices: slices.map((s) => ({
        name: s.name,
        expression: s.expression,
        count: s.rows.length,
        ...(s.description !== undefined ? { description: s.description } : {}),
      })),
    }),
  );
  const rowsAt = Math.ceil((4 + header.length) / 4) * 4;
  const total = slices.reduce((n, s) => n + s.rows.length, 0);
  const out = new Uint8Array(rowsAt + 4 * total);
  new DataView(out.buffer).setUint32(0, header.length, true);
  out.set(header, 4);
  const rows = new Uint32Array(out.buffer, rowsAt, total);
  let at = 0;
  for (const s of slices) {
    rows.set(s.rows, at);
    at += s.rows.length;
  }
  return out;
}

export function decodeSlices(bytes: Uint8Array): KeptSlice[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getUint32(0, true);
  const parsed = JSON.parse(decoder.decode(bytes.subarray(4, 4 + headerLength))) as {
    version?: number;
    slices?: { name: string; expression: string | null; count: number; description?: string }[];
  };
  if (parsed.version !== VERSION || !Array.isArray(parsed.slices)) return [];
  const rowsAt = Math.ceil((4 + headerLength) / 4) * 4;
  // Copy: the rows must own their buffer (a slice crosses to the UI by transfer).
  const all = new Uint32Array(bytes.slice(rowsAt, bytes.byteLength).buffer);
  let at = 0;
  return parsed.slices.map((s) => {
    const rows = all.slice(at, at + s.count);
    if (rows.length !== s.count) throw new Error('truncated slices file');
    at += s.count;
    return {
      name: s.name,
      expression: s.expression,
      rows,
      ...(s.description !== undefined ? { description: s.description } : {}),
    };
  });
}

export function createKeeper(store: DatasetStore | null, deployed: DeployedModels, catalog: Catalog) {
  const fingerprints = new Map<string, string | null>();
  /** Slices by dataset fingerprint (or by id for a dataset without one), read on first use (the
   * promise is cached, so calls that overlap share one list). */
  const slices = new Map<string, Promise<KeptSlice[]>>();

  async function readModels(): Promise<ModelEntry[]> {
    const bytes = await store?.readSide(MODELS).catch(() => null);
    if (!bytes) return [];
    try {
      const parsed = JSON.parse(decoder.decode(bytes)) as { version?: number; models?: ModelEntry[] };
      return parsed.version === VERSION && Array.isArray(parsed.models) ? parsed.models : [];
    } catch {
      return [];
    }
  }

  async function writeModels(): Promise<void> {
    if (!store) return;
    const models: ModelEntry[] = deployed
      .list()
      .map((info) => ({ info, datasetFingerprint: fingerprints.get(info.id) ?? null }));
    await store.writeSide(MODELS, encoder.encode(JSON.stringify({ version: VERSION, models })));
  }

  /** The models of an earlier engine, read once before the first call about models. */
  const ready: Promise<void> = (async () => {
    if (!store) return;
    for (const { info, datasetFingerprint } of await readModels()) {
      try {
        const json = await store.readSide(`model-${info.id}.json`);
        const weights = await store.readSide(`model-${info.id}.bin`);
        if (!json || !weights) continue;
        deployed.restore(info, decoder.decode(json), weights);
        fingerprints.set(info.id, datasetFingerprint);
      } catch {
        // A model that no longer loads (a torn file) is left out rather than failing the engine.
      }
    }
  })();

  function sliceKey(datasetId: string): string {
    const { info } = catalog.get(datasetId);
    return info.fingerprint ?? datasetId;
  }

  async function slicesOf(datasetId: string): Promise<{ key: string; list: KeptSlice[] }> {
    const key = sliceKey(datasetId);
    let list = slices.get(key);
    if (!list) {
      list = (async () => {
        const bytes = store ? await store.readSide(slicesFile(key)).catch(() => null) : null;
        try {
          return bytes ? decodeSlices(bytes) : [];
        } catch {
          // A torn file: start the dataset's slices over rather than fail.
          return [];
        }
      })();
      slices.set(key, list);
    }
    return { key, list: await list };
  }

  async function saveSlices(key: string, list: KeptSlice[]): Promise<void> {
    if (!store) return;
    await (list.length > 0
      ? store.writeSide(slicesFile(key), encodeSlices(list))
      : store.removeSide(slicesFile(key))
    ).catch(() => undefined);
  }

  return {
    ready,

    /** Keeps a model just added to `deployed` (fitted on `datasetId`, or imported). */
    async modelAdded(info: DeployedModelInfo): Promise<void> {
      const fp = info.datasetId ? (catalog.get(info.datasetId).info.fingerprint ?? null) : null;
      fingerprints.set(info.id, fp);
      if (!store) return;
      const m = deployed.get(info.id);
      try {
        await store.writeSide(`model-${info.id}.json`, encoder.encode(m.json));
        await store.writeSide(`model-${info.id}.bin`, m.weights);
        await writeModels();
      } catch {
        // Full or unavailable storage: the model works for this session.
      }
    },

    async modelRemoved(id: string): Promise<void> {
      fingerprints.delete(id);
      if (!store) return;
      await writeModels().catch(() => undefined);
      await store.removeSide(`model-${id}.json`).catch(() => undefined);
      await store.removeSide(`model-${id}.bin`).catch(() => undefined);
    },

    /** The list with each model's dataset id as it is now (a restored dataset has a new id). */
    list(): DeployedModelInfo[] {
      const loaded = catalog.list();
      return deployed.list().map((info) => {
        if (!info.datasetId || loaded.some((d) => d.id === info.datasetId)) return info;
        const fp = fingerprints.get(info.id);
        const now = fp ? loaded.find((d) => d.fingerprint === fp && d.source.kind !== 'derived') : undefined;
        return { ...info, datasetId: now?.id ?? null };
      });
    },

    async keepSlice(datasetId: string, slice: KeptSlice): Promise<KeptSlice> {
      const rows = catalog.get(datasetId).table.numRows;
      for (let i = 0; i < slice.rows.length; i++) {
        const r = slice.rows[i]!;
        if (r >= rows || (i > 0 && r <= slice.rows[i - 1]!)) {
          throw new EngineError(
            'InvalidArgument',
            `keepSlice: slice.rows must be ascending row ids below ${rows.toLocaleString('en-US')} (the dataset's rows); row ${i} is ${r}.`,
          );
        }
      }
      const { key, list } = await slicesOf(datasetId);
      const base = slice.name.trim() || `Slice ${list.length + 1}`;
      let name = base;
      for (let k = 2; list.some((s) => s.name === name); k++) name = `${base} (${k})`;
      const kept: KeptSlice = {
        name,
        expression: slice.expression,
        rows: slice.rows.slice(),
        ...(slice.description !== undefined ? { description: slice.description } : {}),
      };
      list.push(kept);
      await saveSlices(key, list);
      return { ...kept, rows: kept.rows.slice() };
    },

    async keptSlices(datasetId: string): Promise<KeptSlice[]> {
      const { list } = await slicesOf(datasetId);
      return list.map((s) => ({ ...s, rows: s.rows.slice() }));
    },

    async forgetSlice(datasetId: string, name: string): Promise<void> {
      const { key, list } = await slicesOf(datasetId);
      const index = list.findIndex((s) => s.name === name);
      if (index < 0) return;
      list.splice(index, 1);
      await saveSlices(key, list);
    },
  };
}

export type Keeper = ReturnType<typeof createKeeper>;
