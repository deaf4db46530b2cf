#!/usr/bin/env node
// Entry point for `npx tally` / the installed `tally` binary. The TypeScript sources are compiled to
// dist/ by `npm ci` (the `prepare` script), so the CLI starts without a transpiler in the loop.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  process.stderr.write('tally: dist/ is missing; run `npm ci` (or `npm run build`) first\n');
  process.exit(2);
}
await import(main.href);
