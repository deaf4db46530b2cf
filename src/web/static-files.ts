import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Paths the UI routes itself (its index.html answers them, so links are shareable). */
export const UI_PATHS = ['/', '/blocks', '/mempool', '/block/*', '/tx/*', '/address/*'];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

/** Vite names built assets `name-<hash>.ext`: their content never changes under that name. */
const HASHED = /-[A-Za-z0-9_-]{8,}\.[a-z0-9]+$/;

interface StaticFile {
  readonly body: Buffer;
  readonly type: string;
  readonly immutable: boolean;
}

const MISSING_UI = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tally explorer</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40em;margin:3em auto">
<h1>Tally explorer</h1>
<p>The explorer UI is not built. Run <code>npm run build</code> in the Tally checkout and restart the node.</p>
<p>The REST API works without it: <a href="/api/status">/api/status</a>, <a href="/api/openapi.json">/api/openapi.json</a>.</p>
</body></html>
`;

/** The package root: the nearest folder above this module with a package.json (src/ under tsx, dist/ built). */
export function packageRoot(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('no package.json above the explorer module');
    dir = up;
  }
}

function loadTree(root: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else {
        const url = `/${relative(root, path).split(sep).join('/')}`;
        files.set(url, {
          body: readFileSync(path),
          type: TYPES[extname(name).toLowerCase()] ?? 'application/octet-stream',
          immutable: url.startsWith('/assets/') && HASHED.test(name),
        });
      }
    }
  };
  walk(root);
  return files;
}

/**
 * Serves the built UI (dist/ui) from memory: read once at start, so a request can only ever name a
 * file that was there (no path reaches the file system, hence no directory traversal). Hashed
 * assets are cached for good; index.html is revalidated so a rebuilt UI shows at once. Without a
 * build, the UI paths answer a short page saying how to build it.
 */
export function registerStaticUi(
  app: FastifyInstance,
  uiDir: string = join(packageRoot(), 'dist', 'ui'),
): void {
  const files = existsSync(join(uiDir, 'index.html')) ? loadTree(uiDir) : new Map<string, StaticFile>();
  const index = files.get('/index.html');
  const send = (reply: FastifyReply, file: StaticFile) =>
    reply
      .header('Content-Type', file.type)
      .header('Cache-Control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
      .header('X-Content-Type-Options', 'nosniff')
      .send(file.body);

  const page = async (_req: unknown, reply: FastifyReply) => {
    if (index === undefined) {
      return reply
        .header('Content-Type', 'text/html; charset=utf-8')
        .header('Cache-Control', 'no-cache')
        .send(MISSING_UI);
    }
    return send(reply, index);
  };
  for (const path of UI_PATHS) app.get(path, page);

  app.get('/assets/*', async (req, reply) => {
    let path: string;
    try {
      path = decodeURIComponent(req.url.split('?')[0]!);
    } catch {
      path = '';
    }
    const file = files.get(path);
    if (file === undefined) return reply.code(404).header('Content-Type', 'text/plain').send('not found');
    return send(reply, file);
  });
  // Top-level files of the build (favicon, manifest) get a route each.
  for (const [url, file] of files) {
    if (url.startsWith('/assets/') || url === '/index.html' || url.indexOf('/', 1) !== -1) continue;
    app.get(url, async (_req, reply) => send(reply, file));
  }
}
