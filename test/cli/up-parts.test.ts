import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import pino from 'pino';
import { runNode } from '../../src/cli/commands/node.js';
import { UpMiner } from '../../src/cli/commands/up-mining.js';
import { formatNextSteps, NEXT_STEPS_HEADING } from '../../src/cli/commands/up-next-steps.js';
import { inProcessRpc } from '../../src/cli/commands/up-rpc.js';
import { UsageError } from '../../src/cli/errors.js';
import { generatePassphrase, readPassphraseFile, writePassphraseFile } from '../../src/cli/passphrase.js';
import { resolveConfig } from '../../src/node/config.js';
import { RpcError, RpcErrorCode } from '../../src/rpc/errors.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'tally-up-'));
  dirs.push(d);
  return d;
};
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** BIP173's regtest example address: coinbases go to a script no wallet here owns. */
const ADDRESS = 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080';

describe('tally up: next steps', () => {
  const base = {
    rpcPort: 18443,
    height: 101,
    balance: '50.00000000',
    encrypted: true,
    cookieFile: '/w/.tally/regtest/.cookie',
  };

  it('prints bare commands when datadir and port are the defaults', () => {
    const text = formatNextSteps({ ...base, datadir: '/w/.tally', cwd: '/w' });
    assert.ok(text.includes(`${NEXT_STEPS_HEADING} (in another terminal`));
    assert.match(text, /^ {2}npx tally wallet create bob +# a second wallet/m);
    assert.match(text, /^ {2}npx tally wallet send <address> 1\.5 +# pay bob/m);
    assert.match(text, /npx tally rpc --network regtest --datadir \/w\/\.tally getblockcount/);
    assert.match(text, /"default": 50\.00000000 BTC spendable, encrypted on disk/);
    assert.doesNotMatch(text, /--rpcport/);
    assert.doesNotMatch(text, /Explorer/);
  });

  it('adds --datadir and --rpcport where they differ, quoting paths for the shell', () => {
    const text = formatNextSteps({
      ...base,
      datadir: "/tmp/it's here",
      rpcPort: 40001,
      cwd: '/w',
      explorerUrl: 'http://127.0.0.1:40001/',
    });
    assert.match(text, /npx tally wallet -w bob address --datadir '\/tmp\/it'\\''s here' --rpcport 40001/);
    assert.match(
      text,
      /npx tally rpc --network regtest --datadir '\/tmp\/it'\\''s here' --rpcport 40001 getblockcount/,
    );
    assert.match(text, /Explorer {2}http:\/\/127\.0\.0\.1:40001\//);
  });
});

describe('tally up: passphrase files', () => {
  it('generates 256-bit base64url passphrases and keeps them in owner-only files that are never overwritten', () => {
    const a = generatePassphrase();
    assert.match(a, /^[A-Za-z0-9_-]{43}$/);
    assert.notEqual(a, generatePassphrase());
    const file = join(tempDir(), 'wallets', 'default.passphrase');
    writePassphraseFile(file, a);
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(readPassphraseFile(file), a);
    assert.throws(() => writePassphraseFile(file, 'other'), /EEXIST/);
    assert.equal(readPassphraseFile(file), a);
  });

  it('keeps spaces, drops only the line ending, and rejects missing or empty files', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'p'), ' two words \r\nsecond line\n');
    assert.equal(readPassphraseFile(join(dir, 'p')), ' two words ');
    writeFileSync(join(dir, 'empty'), '\n');
    assert.throws(() => readPassphraseFile(join(dir, 'empty')), UsageError);
    assert.throws(() => readPassphraseFile(join(dir, 'missing')), /cannot read passphrase file .*ENOENT/);
  });
});

describe('tally up: runNode hooks and the miner, on a real regtest node', () => {
  it('mines to a height, leaves an idle chain alone, reports the bound port, and stops cleanly', async () => {
    const datadir = tempDir();
    const config = resolveConfig(
      new Map([
        ['chain', ['regtest']],
        ['datadir', [datadir]],
        ['rpcport', ['0']],
        ['listen', ['0']],
      ]),
    );
    const lines: string[] = [];
    const events: string[] = [];
    let seen: { port: number; height: number; idleHeight: number } | undefined;
    const logger = pino({ level: 'silent' });
    await runNode(config, logger, {
      onReady: async (ready) => {
        events.push('ready');
        const call = inProcessRpc(ready.registry, ready.context);
        await assert.rejects(call('generatetoaddress', [1, 'not-an-address']), (err: unknown) => {
          return err instanceof RpcError && err.code === RpcErrorCode.RPC_INVALID_ADDRESS_OR_KEY;
        });
        const miner = new UpMiner(call, {
          address: ADDRESS,
          intervalSeconds: 0,
          print: (l) => lines.push(l),
        });
        const height = await miner.mineTo(30, ready.stopping);
        miner.start();
        // Two polls of an empty mempool: no block.
        await new Promise((resolve) => setTimeout(resolve, 2500));
        const idleHeight = Number(await call('getblockcount'));
        await miner.stop();
        seen = { port: ready.rpcPort, height, idleHeight };
        ready.shutdown();
      },
      beforeStop: async () => {
        events.push('beforeStop');
      },
    });
    assert.deepEqual(events, ['ready', 'beforeStop']);
    assert.ok(seen !== undefined);
    assert.ok(seen.port > 0 && seen.port !== 18443, `bound port ${seen.port}`);
    assert.equal(seen.height, 30);
    assert.equal(seen.idleHeight, 30);
    assert.deepEqual(lines, [
      'Mining 30 blocks so the wallet has mature coins...',
      '  height 25/30',
      '  height 30/30',
    ]);
    // The RPC server removed its cookie on the clean stop.
    assert.equal(existsSync(join(datadir, 'regtest', '.cookie')), false);
    assert.ok(readFileSync(join(datadir, 'regtest', 'chain', 'CURRENT'), 'utf8').length > 0);
  });

  it('rejects runNode with the onReady error after a clean stop', async () => {
    const config = resolveConfig(
      new Map([
        ['chain', ['regtest']],
        ['datadir', [tempDir()]],
        ['rpcport', ['0']],
        ['listen', ['0']],
      ]),
    );
    await assert.rejects(
      runNode(config, pino({ level: 'silent' }), {
        onReady: async () => {
          throw new UsageError('wallet says no');
        },
      }),
      /wallet says no/,
    );
  });
});
