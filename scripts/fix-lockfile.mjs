// The registry mirror these machines use carries only the linux-x64 build of Biome, so `npm install`
// writes a lockfile without entries for Biome's other optional platform packages, and `npm ci` then
// refuses it as out of sync. This adds those entries (os/cpu-restricted, never downloaded here).
// Run it after any `npm install` that rewrites package-lock.json: `npm run lockfile` does both.
import { readFileSync, writeFileSync } from 'node:fs';
const path = process.argv[2] ?? new URL('../package-lock.json', import.meta.url).pathname;
const lock = JSON.parse(readFileSync(path, 'utf8'));
const platforms = {
  'cli-android-arm64': [['android'], ['arm64']],
  'cli-android-x64': [['android'], ['x64']],
  'cli-darwin-arm64': [['darwin'], ['arm64']],
  'cli-darwin-x64': [['darwin'], ['x64']],
  'cli-linux-arm64': [['linux'], ['arm64'], ['glibc']],
  'cli-linux-arm64-musl': [['linux'], ['arm64'], ['musl']],
  'cli-linux-x64': [['linux'], ['x64'], ['glibc']],
  'cli-linux-x64-musl': [['linux'], ['x64'], ['musl']],
  'cli-win32-arm64': [['win32'], ['arm64']],
  'cli-win32-x64': [['win32'], ['x64']],
};
const biome = lock.packages['node_modules/@biomejs/biome'];
let added = 0;
for (const [name, version] of Object.entries(biome.optionalDependencies)) {
  const key = `node_modules/${name}`;
  if (lock.packages[key]) continue;
  const [os, cpu, libc] = platforms[name.split('/')[1]];
  lock.packages[key] = {
    version,
    dev: true,
    optional: true,
    os,
    cpu,
    ...(libc ? { libc } : {}),
    license: 'MIT OR Apache-2.0',
  };
  added++;
}
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log('added', added);
