import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Chain } from '../../../src/chain/chain.js';
import { regtest } from '../../../src/consensus/networks/regtest.js';
import { toHex } from '../../../src/encoding/hex.js';
import { Mempool } from '../../../src/mempool/mempool.js';
import type { Block } from '../../../src/primitives/block.js';
import { scriptFromAddress } from '../../../src/script/address.js';
import { HDKey } from '../../../src/wallet/keys/bip32.js';
import { mnemonicToSeed } from '../../../src/wallet/keys/bip39.js';
import { HDAccount } from '../../../src/wallet/keys/paths.js';
import { WalletManager } from '../../../src/wallet/wallet-manager.js';
import { TestChain } from '../../support/test-chain.js';
import { MNEMONIC, NOW } from './harness.js';

const CHILD = fileURLToPath(new URL('./fixtures/wallet-crash-child.ts', import.meta.url));
const PAYMENTS = 40;

/** Runs the child until it has printed `kills` addresses (then SIGKILL), or to the end. */
function runChild(
  dir: string,
  file: string,
  killAfter: number | undefined,
): Promise<{ addresses: string[]; done: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, file], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const addresses: string[] = [];
    let done = false;
    let buffered = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith('addr ')) addresses.push(line.slice(5));
        if (line === 'done') done = true;
        if (killAfter !== undefined && addresses.length >= killAfter) child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' || code === 0) resolve({ addresses, done });
      else reject(new Error(`child exited ${code}: ${stderr}`));
    });
  });
}

describe('wallet survives kill -9', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tally-wallet-crash-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every payment and never hands out an address twice across kills', {
    timeout: 120_000,
  }, async () => {
    const tc = new TestChain();
    const account = HDAccount.fromMaster(HDKey.fromSeed(mnemonicToSeed(MNEMONIC)), 84, regtest);
    const blocks: Block[] = tc.mine(101);
    let expected = 0;
    for (let i = 0; i < PAYMENTS; i++) {
      const coin = tc.coinbaseOutput(blocks[i]!);
      // Receive index i: the child hands out one address per block, so payments keep to the lookahead.
      const to = scriptFromAddress(account.receive(i).address, regtest.addressPrefixes);
      const tx = tc.spend([coin], {
        outputs: [{ value: 1_000_000 + i, scriptPubKey: to }, { value: coin.value - 2_000_000 }],
      });
      expected += 1_000_000 + i;
      blocks.push(tc.block({ txs: [tx] }));
    }
    const file = join(dir, 'blocks.hex');
    writeFileSync(file, `${blocks.map((b) => toHex(b.encode())).join('\n')}\n`);

    const handedOut: string[] = [];
    for (const killAfter of [50, 30, 40]) {
      const run = await runChild(dir, file, killAfter);
      handedOut.push(...run.addresses);
      if (run.done) break;
    }
    const last = await runChild(dir, file, undefined);
    handedOut.push(...last.addresses);
    assert.equal(last.done, true);
    assert.equal(new Set(handedOut).size, handedOut.length, 'an address was handed out twice');

    const chain = await Chain.open({ network: regtest, dataDir: dir, now: () => NOW });
    const mempool = new Mempool({ network: regtest }, { chain, now: () => NOW });
    const wallets = await WalletManager.open(
      { networkDir: join(dir, 'regtest'), keypool: 20, now: () => NOW },
      { chain, mempool },
    );
    try {
      assert.equal(chain.height, blocks.length); // heights 1..n above genesis
      const wallet = wallets.get('crash')!;
      assert.equal(wallet.balances().trusted, expected);
      assert.equal(wallet.info().txCount, PAYMENTS);
      assert.equal(wallet.info().lastProcessedBlock.height, chain.height);
      for (const e of wallet.listTransactions(undefined, 1000, 0, false)) {
        assert.equal(e.confirmations, chain.height - e.blockHeight! + 1);
      }
    } finally {
      await wallets.close();
      mempool.close();
      await chain.close();
    }
  });
});
