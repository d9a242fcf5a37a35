import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';

const DIST = resolve(import.meta.dirname, '../../dist');
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.csv': 'text/csv',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.map': 'application/json',
};

export interface StaticHost {
  /** The build's URL, ending in the prefix. */
  base: string;
  /** Every path requested, in order. */
  served: string[];
  close(): Promise<void>;
}

/**
 * GitHub Pages style: the build in dist/ is only reachable under `prefix`; anything else is a 404,
 * and no response carries a header beyond content-type (no COOP/COEP, no caching rules).
 */
export async function staticHost(prefix: string): Promise<StaticHost> {
  const served: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    served.push(path);
    if (!path.startsWith(prefix)) {
      res.statusCode = 404;
      res.end('not here');
      return;
    }
    const rel = normalize(path.slice(prefix.length) || 'index.html');
    const file = join(DIST, rel.endsWith('/') ? `${rel}index.html` : rel);
    if (!file.startsWith(DIST) || !existsSync(file) || !statSync(file).isFile()) {
      res.statusCode = 404;
      res.end('not found');
      return;
    }
    res.setHeader('content-type', TYPES[extname(file)] ?? 'application/octet-stream');
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}${prefix}`,
    served,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
