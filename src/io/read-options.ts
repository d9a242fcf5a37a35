import type { Progress } from '../core/job';
import type { LoadOptions } from './types';

/** Options of `readTable`: the user's load options plus cancel and progress. */
export type ReadOptions = LoadOptions & { signal?: AbortSignal; onProgress?: (p: Progress) => void };
