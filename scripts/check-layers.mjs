#!/usr/bin/env node
// Enforces the layer graph of STYLE.md: a folder under src/ may import only from folders at the
// same rank or below it. A wrong import fails `npm run lint` (and so CI).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const RANK = {
  encoding: 0,
  crypto: 1,
  primitives: 2,
  script: 3,
  consensus: 4,
  policy: 5,
  chain: 6,
  mempool: 7,
  mining: 8,
  net: 9,
  wallet: 10,
  node: 11,
  rpc: 12,
  web: 12,
  cli: 13,
};
const root = resolve(dirname(new URL(import.meta.url).pathname), '..', 'src');

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* walk(p);
    else if (p.endsWith('.ts')) yield p;
  }
}

const layerOf = (file) => relative(root, file).split(sep)[0];
const importRe =
  /(?:^|\n)\s*(?:import|export)[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
const problems = [];
for (const file of walk(root)) {
  const from = layerOf(file);
  if (!(from in RANK)) {
    problems.push(`${relative(root, file)}: folder "${from}" is not a known layer`);
    continue;
  }
  const text = readFileSync(file, 'utf8');
  for (const m of text.matchAll(importRe)) {
    const spec = m[1] ?? m[2];
    if (!spec?.startsWith('.')) continue;
    const target = resolve(dirname(file), spec);
    if (!target.startsWith(root)) {
      problems.push(`${relative(root, file)}: imports outside src/: ${spec}`);
      continue;
    }
    const to = layerOf(target);
    if (RANK[to] === undefined || RANK[to] > RANK[from]) {
      problems.push(`${relative(root, file)}: layer "${from}" must not import from "${to}" (${spec})`);
    }
  }
}
if (problems.length > 0) {
  console.error(`layer check failed:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('layer check: ok');
