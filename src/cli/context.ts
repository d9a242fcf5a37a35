/** What every command gets: the engine in-process, the output streams and progress reporting. */

import type { Engine } from '../../workers/engine';
import type { JobOptions } from '../protocol/api';
import { createProgress, type OutStream, type ProgressSink } from './progress';

export interface CliIo {
  stdout: OutStream;
  stderr: OutStream;
  /** Relative paths in arguments are resolved against it. */
  cwd: string;
}

export interface CliContext {
  io: CliIo;
  engine: Engine;
  progress: ProgressSink;
  /** Job options that report the job's progress on stderr. */
  job(): JobOptions;
}

export function createContext(io: CliIo, engine: Engine): CliContext {
  const progress = createProgress(io.stderr);
  let next = 1;
  return {
    io,
    engine,
    progress,
    job: () => ({ id: `cli-${next++}`, onProgress: (p) => progress.update(p) }),
  };
}
