// The visitor's web page for the Prosody desk: converse.js from its npm package (no CDN), served by a tiny static server on loopback.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const fixtureDir = fileURLToPath(new URL('../fixtures/converse/', import.meta.url));

/** converse.js's built files (dist/) from node_modules. */
function converseDistDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve('converse.js/dist/converse.min.js'));
}

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.map': 'application/json',
};

interface VisitorPageConfig {
  websocketUrl: string;
  anonymousDomain: string;
  /** The bare JID the page opens a chat with. */
  deskJid: string;
}

export interface VisitorPage {
  url: string;
  close(): Promise<void>;
}

/** Serves index.html, visitor.js, config.json (the only per-test text, as JSON data) and converse.js's dist under /dist/. */
export async function startVisitorPage(config: VisitorPageConfig): Promise<VisitorPage> {
  const dist = converseDistDir();
  const configJson = JSON.stringify(config);
  const fileFor = (path: string): string | undefined => {
    if (path === '/' || path === '/index.html') return join(fixtureDir, 'index.html');
    if (path === '/visitor.js') return join(fixtureDir, 'visitor.js');
    if (!path.startsWith('/dist/')) return undefined;
    const file = normalize(join(dist, decodeURIComponent(path.slice('/dist/'.length))));
    return file.startsWith(dist + sep) ? file : undefined;
  };
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    if (path === '/config.json') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(configJson);
      return;
    }
    const file = fileFor(path);
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream', 'x-content-type-options': 'nosniff' });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = address && typeof address === 'object' ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
