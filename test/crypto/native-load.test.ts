import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from '../support/shared.js';

/**
 * The adapter must refuse to run, loudly, when the libsecp256k1 binary is missing, rather than
 * fall back to the package's pure-JS build the way `require('secp256k1')` does. The sources are
 * copied beside a secp256k1 package that has no compiled addon, and run in a child process.
 */
describe('native backend loading', () => {
  it('throws a clear error at first use when the addon is missing, with no fallback', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-native-'));
    try {
      for (const layer of ['encoding', 'crypto']) {
        cpSync(join(REPO_ROOT, 'src', layer), join(dir, 'src', layer), { recursive: true });
      }
      writeFileSync(join(dir, 'package.json'), '{"type":"module"}');
      const modules = join(dir, 'node_modules');
      mkdirSync(join(modules, 'secp256k1'), { recursive: true });
      writeFileSync(join(modules, 'secp256k1', 'package.json'), '{"name":"secp256k1","version":"5.0.2"}');
      symlinkSync(join(REPO_ROOT, 'node_modules', 'node-gyp-build'), join(modules, 'node-gyp-build'));
      symlinkSync(join(REPO_ROOT, 'node_modules', '@noble'), join(modules, '@noble'));
      symlinkSync(join(REPO_ROOT, 'node_modules', 'tiny-secp256k1'), join(modules, 'tiny-secp256k1'));
      const adapter = pathToFileURL(join(dir, 'src', 'crypto', 'secp256k1.ts')).href;
      const script = `import(${JSON.stringify(adapter)}).then((k) => {
        const key = new Uint8Array(33); key[0] = 2;
        try { k.ecdsaVerifyCompact(new Uint8Array(64), new Uint8Array(32), key); console.log('NO-THROW'); }
        catch (e) { console.log('THREW: ' + e.message); }
        k.setVerifyBackend('noble');
        console.log('noble: ' + k.ecdsaVerifyCompact(new Uint8Array(64), new Uint8Array(32), key));
      });`;
      const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      });
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /THREW: native libsecp256k1 \(npm secp256k1@5\.0\.2\) failed to load/);
      assert.match(run.stdout, /does not fall back/);
      assert.match(run.stdout, /noble: false/); // the explicit reference backend still works
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
