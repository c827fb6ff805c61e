// A tiny static server for www/ (the browser tests and screenshots): correct MIME types
// (.wasm as application/wasm), no directory listings, 127.0.0.1 on a free port.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.wasm': 'application/wasm', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.ico': 'image/x-icon', '.png': 'image/png', '.md': 'text/plain; charset=utf-8',
};

/**
 * Serves `root`; `overrides` maps URL paths to files, `mounts` URL prefixes ('/fixtures/') to
 * directories (development only); `cors` adds Access-Control-Allow-Origin: * (a lab imported
 * from another origin). Resolves to {url, close}.
 */
export function serve(root, overrides = {}, mounts = {}, { cors = false } = {}) {
  const base = resolve(root);
  const server = createServer(async (req, res) => {
    let path;
    try { path = decodeURIComponent(new URL(req.url, 'http://x').pathname); } catch { res.writeHead(400).end(); return; }
    const prefix = Object.keys(mounts).find((p) => path.startsWith(p));
    const dir = prefix ? resolve(mounts[prefix]) : base;
    const rel = prefix ? '/' + path.slice(prefix.length) : path === '/' ? '/index.html' : path;
    const file = overrides[path] || join(dir, normalize(rel));
    if (!overrides[path] && !(file === dir || file.startsWith(dir + sep))) { res.writeHead(403).end(); return; }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] || 'application/octet-stream', 'cache-control': 'no-store',
        ...(cors ? { 'access-control-allow-origin': '*' } : {}) });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    ok({ url: `http://127.0.0.1:${port}/`, close: () => new Promise((done) => server.close(done)) });
  }));
}
