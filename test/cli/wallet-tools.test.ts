import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NodeProcess } from '../support/node-process.js';
import { type CliResult, runCliAsync } from './run-cli.js';

/**
 * The back-office commands of `tally wallet` against a real `tally node`: signed messages,
 * payments since a block, fee bumps, descriptors, and a backup restored as another wallet.
 */
describe('tally wallet: backup, signed messages, bump, descriptors, since', { timeout: 240_000 }, () => {
  const scratch = mkdtempSync(join(tmpdir(), 'tally-wallet-tools-'));
  let node: NodeProcess;
  const wallet = (args: string[]): Promise<CliResult> =>
    runCliAsync([
      'wallet',
      ...args,
      '--datadir',
      node.datadir,
      '--network',
      'regtest',
      '--rpcport',
      String(node.rpcPort),
    ]);
  const ok = async (args: string[]): Promise<string> => {
    const r = await wallet(args);
    assert.equal(r.status, 0, `tally wallet ${args.join(' ')}\n${r.stderr}${r.stdout}`);
    return r.stdout.trim();
  };
  let funding = '';

  before(async () => {
    node = await NodeProcess.start();
    await ok(['create', 'alice', '--no-passphrase']);
    funding = await ok(['-w', 'alice', 'address']);
    await node.call('generatetoaddress', [101, funding]);
  });
  after(async () => {
    await node?.destroy();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('sign-message and verify-message: valid for the signer, not for another message', async () => {
    const legacy = await ok(['-w', 'alice', 'address', '--type', 'legacy']);
    const signed = await ok(['-w', 'alice', '--json', 'sign-message', legacy, 'pay 10 to bob']);
    assert.match(signed, /^[A-Za-z0-9+/]{86}[A-Za-z0-9+/=]{2}$/, 'a 65-byte base64 signature');
    assert.match(await ok(['verify-message', legacy, signed, 'pay 10 to bob']), /^Valid/);
    const forged = await wallet(['verify-message', legacy, signed, 'pay 99 to bob']);
    assert.equal(forged.status, 1);
    assert.match(forged.stdout, /NOT valid/);
    const segwit = await wallet(['-w', 'alice', 'sign-message', funding, 'x']);
    assert.equal(segwit.status, 1);
    assert.match(segwit.stderr, /^error: Address does not refer to key/);
  });

  it('since: payments after a block, then the next poll from its lastblock', async () => {
    const all = await ok(['-w', 'alice', '--json', 'since']);
    const first = JSON.parse(all) as { transactions: unknown[]; lastblock: string };
    assert.ok(first.transactions.length >= 101);
    assert.equal(first.lastblock, await node.call('getbestblockhash'));
    const payee = await ok(['-w', 'alice', 'address']);
    const txid = (await ok(['-w', 'alice', '--json', 'send', payee, '1.5'])).replaceAll('"', '');
    const text = await ok(['-w', 'alice', 'since', first.lastblock]);
    assert.ok(text.includes(txid), text);
    assert.match(text, new RegExp(`Next time: tally wallet -w alice since ${first.lastblock}`));

    const bumped = await ok(['-w', 'alice', '--json', 'bump', txid, '--fee-rate', '25']);
    const replacement = JSON.parse(bumped) as { txid: string; fee: number; origfee: number };
    assert.ok(replacement.fee > replacement.origfee);
    assert.deepEqual(await node.call('getrawmempool'), [replacement.txid]);
    await node.call('generatetoaddress', [1, funding]);
    const next = JSON.parse(await ok(['-w', 'alice', '--json', 'since', first.lastblock])) as {
      transactions: { txid: string; confirmations: number }[];
    };
    assert.ok(next.transactions.some((t) => t.txid === replacement.txid && t.confirmations === 1));
  });

  it('descriptors lists the active receive and change descriptors', async () => {
    const text = await ok(['-w', 'alice', 'descriptors']);
    assert.match(text, /yes\s+receive\s+\d+\s+wpkh\(\[[0-9a-f]{8}\/84h\/1h\/0h\]tpub/);
    assert.match(text, /yes\s+change\s+\d+\s+wpkh\(/);
    assert.ok(!text.includes('tprv'), 'no private keys unless --private');
  });

  it('backup and restore: the restored wallet has the same balance', async () => {
    const file = join(scratch, 'alice.backup');
    assert.match(await ok(['-w', 'alice', 'backup', file]), /Backed up wallet "alice"/);
    assert.ok(existsSync(file));
    assert.match(await ok(['restore', 'alice-copy', file]), /Restored wallet "alice-copy"/);
    const balance = (name: string) => ok(['-w', name, '--json', 'balance']);
    assert.deepEqual(JSON.parse(await balance('alice-copy')), JSON.parse(await balance('alice')));
    const again = await wallet(['restore', 'alice-copy', file]);
    assert.equal(again.status, 1, 'an existing wallet name is refused');
  });
});
