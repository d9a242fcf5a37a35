// The entry of a reading sub-worker in Node (workers/decode.node.ts starts it): the sources are
// TypeScript, so register tsx in this thread first (as bin/benchtop.mjs does), then load them.
import { register } from 'tsx/esm/api';

register();
await import('./decode.node-worker.ts');
