import type { LoadOptions, Progress } from '../engine/api';

/** Options of `readTable`: the user's load options plus cancel and progress. */
export type ReadOptions = LoadOptions & { signal?: AbortSignal; onProgress?: (p: Progress) => void };
