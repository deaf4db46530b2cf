/**
 * The wallet engine (issue #4):
 * (a) sendtoaddress from a wallet holding 10,000 UTXOs: median and p99 per send (fund, sign,
 *     mempool acceptance, record), against bare fundTransaction over the same coins;
 * (b) rescan of a chain of 100,000 transactions, against reading the same blocks without matching.
 * The rescan chain (one P2WPKH payment and one OP_TRUE output per transaction, so no signatures
 * are needed to build it) is built once and cached under the OS temp directory.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Chain } from '../src/chain/chain.js';
import { regtest } from '../src/consensus/networks/regtest.js';
import { Mempool } from '../src/mempool/mempool.js';
import type { Transaction } from '../src/primitives/transaction.js';
import { scriptFromAddress } from '../src/script/address.js';
import { p2wpkh } from '../src/script/templates.js';
import { sha256 } from '../src/crypto/hash.js';
import { fundTransaction } from '../src/wallet/coin-selection/fund.js';
import { HDKey } from '../src/wallet/keys/bip32.js';
import { mnemonicToSeed } from '../src/wallet/keys/bip39.js';
import { HDAccount } from '../src/wallet/keys/paths.js';
import { toCandidate } from '../src/wallet/spend/build-tx.js';
import { availableCoins } from '../src/wallet/tracking/balances.js';
import type { Wallet } from '../src/wallet/wallet.js';
import { WalletManager } from '../src/wallet/wallet-manager.js';
import { OP_TRUE, type SpendableOutput, TestChain } from '../test/support/test-chain.js';
import { fmt, ratio } from './stats.js';

const MNEMONIC =
  'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about';
const NOW = 1_700_000_000;
const UTXOS = 10_000;
const SENDS = 300;
const RESCAN_TXS = 100_000;
const TXS_PER_BLOCK = 100;
/** One transaction in this many pays the wallet. */
const WALLET_SHARE = 50;

/** The wallet's first receive addresses (BIP84, regtest), derived here so the chain can pay them. */
function walletScripts(count: number): Uint8Array[] {
  const master = HDKey.fromSeed(mnemonicToSeed(MNEMONIC));
  const account = HDAccount.fromMaster(master, 84, regtest);
  return Array.from({ length: count }, (_, i) =>
    scriptFromAddress(account.receive(i).address, regtest.addressPrefixes),
  );
}

async function openParts(dir: string) {
  const chain = await Chain.open({ network: regtest, dataDir: dir, now: () => NOW });
  const mempool = new Mempool({ network: regtest }, { chain, now: () => NOW });
  const wallets = await WalletManager.open(
    {
      networkDir: join(dir, 'regtest'),
      now: () => NOW,
      loadStartupWallets: false,
      kdf: { kdf: { log2N: 10, r: 8, p: 1 } },
    },
    { chain, mempool },
  );
  return { chain, mempool, wallets };
}

async function connectAll(chain: Chain, blocks: readonly { hash(): Uint8Array }[]): Promise<void> {
  for (const b of blocks) {
    const r = await chain.processBlock(b as never);
    if (r.status !== 'connected') throw new Error(`block not connected: ${JSON.stringify(r)}`);
  }
}

function cpuMs(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

async function benchSend(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tally-bench-wallet-send-'));
  const { chain, mempool, wallets } = await openParts(dir);
  try {
    const wallet = (await wallets.create({ name: 'payer', mnemonic: MNEMONIC })) as Wallet;
    const tc = new TestChain();
    const coinbases = tc.mineBlocks(100, { payTo: OP_TRUE });
    // 100 more so every one of those coinbases is mature.
    await connectAll(chain, [...coinbases, ...tc.mineBlocks(100, { payTo: OP_TRUE })]);
    const addresses = await Promise.all(Array.from({ length: 200 }, () => wallet.getNewAddress()));
    const scripts = addresses.map((a) => scriptFromAddress(a, regtest.addressPrefixes));
    const perTx = UTXOS / 100;
    const txs: Transaction[] = [];
    for (let t = 0; t < 100; t++) {
      const coin = tc.coinbaseOutput(coinbases[t]!);
      const outputs = Array.from({ length: perTx }, (_, i) => ({
        value: 100_000 + (((t * perTx + i) * 7919) % 2_000_000),
        scriptPubKey: scripts[(t * perTx + i) % scripts.length]!,
      }));
      const total = outputs.reduce((s, o) => s + o.value, 0);
      outputs.push({ value: coin.value - total - 100_000, scriptPubKey: OP_TRUE });
      txs.push(tc.spend([coin], { outputs }));
    }
    // Six blocks on top: a treasury's coins are usually past Core's 6-confirmation first pass for
    // coins received from others (with 1-2 confirmations every send would run the later passes too).
    await connectAll(chain, [tc.block({ txs }), ...tc.mineBlocks(6, { payTo: OP_TRUE })]);
    const utxos = wallet.listUnspent({}).length;
    console.log(`\n== wallet send (${utxos} UTXOs in the wallet, ${SENDS} sends) ==`);
    const dest = 'bcrt1qw508d6qejxtdg4y5r3zarvary0c5xw7kygt080';
    const destScript = scriptFromAddress(dest, regtest.addressPrefixes);
    const change = wallet.state.scripts.chain('bech32', true)!.at(0)!.scriptPubKey;
    const times: number[] = [];
    const ref: number[] = [];
    // CPU time as well as wall time: on a shared, loaded machine the wall clock mostly measures
    // waiting for a core.
    const cpu: number[] = [];
    const refCpu: number[] = [];
    let coins = 0;
    for (let i = 0; i < SENDS; i++) {
      const amount = 50_000 + i * 1_000;
      // Reference, interleaved so both see the same machine load: coin selection alone over the
      // coins the send will choose from, at the same rate.
      const candidates = availableCoins(wallet.state.book, { onlySpendable: true })
        .map((c) => toCandidate(c.output, c.depth, c.fromMe))
        .filter((c) => c !== undefined);
      coins = candidates.length;
      const r0 = performance.now();
      const rc = process.cpuUsage();
      fundTransaction([{ scriptPubKey: destScript, value: amount }], candidates, {
        feeRate: 2_000,
        changeScript: change,
      });
      refCpu.push(cpuMs(rc));
      ref.push(performance.now() - r0);
      const t0 = performance.now();
      const tc0 = process.cpuUsage();
      await wallet.send({ recipients: [{ address: dest, amount }], feeRate: 2 });
      cpu.push(cpuMs(tc0));
      times.push(performance.now() - t0);
    }
    const at = (xs: number[], q: number) =>
      [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))]!;
    const median = at(times, 0.5);
    const p99 = at(times, 0.99);
    const refMedian = at(ref, 0.5);
    console.log(`  send (fund+sign+mempool+record) median ${fmt(median)}, p99 ${fmt(p99)}`);
    console.log(
      `  reference: bare fundTransaction  median ${fmt(refMedian)}, p99 ${fmt(at(ref, 0.99))} over ~${coins} coins`,
    );
    console.log(`  send / fundTransaction           ${ratio(median, refMedian)}`);
    console.log(
      `  CPU time per call (median)       send ${fmt(at(cpu, 0.5))}, fundTransaction ${fmt(at(refCpu, 0.5))}: ${ratio(at(cpu, 0.5), at(refCpu, 0.5))}`,
    );
    console.log(`  mempool now holds ${mempool.info().size} wallet transactions`);
  } finally {
    await wallets.close();
    mempool.close();
    await chain.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Builds (or finds cached) a chain of RESCAN_TXS transactions, one in WALLET_SHARE paying the wallet. */
async function rescanChainDir(): Promise<{ dir: string; walletTxs: number }> {
  const dir = join(tmpdir(), `tally-bench-wallet-rescan-v2-${RESCAN_TXS}`);
  const marker = join(dir, 'complete.json');
  if (existsSync(marker)) return { dir, ...JSON.parse(readFileSync(marker, 'utf8')) };
  rmSync(dir, { recursive: true, force: true });
  const t0 = performance.now();
  const chain = await Chain.open({ network: regtest, dataDir: dir, now: () => NOW });
  const tc = new TestChain();
  const targets = walletScripts(20);
  const pool: SpendableOutput[] = [];
  const coinbases = tc.mineBlocks(100, { payTo: OP_TRUE });
  await connectAll(chain, [...coinbases, ...tc.mineBlocks(100, { payTo: OP_TRUE })]);
  pool.push(...coinbases.map((b) => tc.coinbaseOutput(b)));
  let made = 0;
  let walletTxs = 0;
  while (made < RESCAN_TXS) {
    const txs: Transaction[] = [];
    for (let t = 0; t < TXS_PER_BLOCK && made < RESCAN_TXS; t++, made++) {
      const input = pool.shift()!;
      // A fixed payment, the rest carried on: a coin lasts thousands of generations.
      const payment = 10_000;
      const toWallet = made % WALLET_SHARE === 0;
      if (toWallet) walletTxs++;
      // One output keeps the chain going (OP_TRUE: no signatures to make); the other is a P2WPKH
      // payment, to the wallet or to someone else, so matching sees realistic scripts.
      const other = p2wpkh(
        sha256(Uint8Array.of(made & 0xff, (made >> 8) & 0xff, made >> 16)).subarray(0, 20),
      );
      const tx = tc.spend([input], {
        outputs: [
          { value: payment, scriptPubKey: toWallet ? targets[walletTxs % targets.length]! : other },
          { value: input.value - 500 - payment, scriptPubKey: OP_TRUE },
        ],
      });
      txs.push(tx);
      pool.push(...tc.outputs(tx).filter((o) => o.scriptPubKey.length === 1)); // OP_TRUE outputs
    }
    const block = tc.block({ txs, payTo: OP_TRUE });
    await connectAll(chain, [block]);
  }
  await chain.close();
  writeFileSync(marker, JSON.stringify({ walletTxs }));
  console.log(`  (built and cached the chain in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${dir})`);
  return { dir, walletTxs };
}

async function benchRescan(): Promise<void> {
  console.log(`\n== wallet rescan (${RESCAN_TXS.toLocaleString('en-US')} transactions) ==`);
  const { dir, walletTxs } = await rescanChainDir();
  const walletDir = mkdtempSync(join(tmpdir(), 'tally-bench-wallet-w-'));
  const chain = await Chain.open({ network: regtest, dataDir: dir, now: () => NOW });
  const mempool = new Mempool({ network: regtest }, { chain, now: () => NOW });
  const wallets = await WalletManager.open(
    { networkDir: walletDir, now: () => NOW, loadStartupWallets: false },
    { chain, mempool },
  );
  try {
    const t0 = performance.now();
    let txCount = 0;
    for (let h = 0; h <= chain.height; h++) {
      const block = await chain.getBlock(chain.getEntryAtHeight(h)!.hash);
      txCount += block!.txs.length;
    }
    const readMs = performance.now() - t0;
    const t1 = performance.now();
    const wallet = (await wallets.create({ name: 'restored', mnemonic: MNEMONIC })) as Wallet;
    const restoreMs = performance.now() - t1;
    const found = wallet.info().txCount;
    if (found !== walletTxs)
      throw new Error(`rescan found ${found} wallet transactions, expected ${walletTxs}`);
    const t2 = performance.now();
    await wallet.rescan(0);
    const rescanMs = performance.now() - t2;
    console.log(
      `  blocks ${chain.height + 1}, transactions ${txCount.toLocaleString('en-US')}, paying the wallet ${walletTxs}`,
    );
    console.log(`  restore from mnemonic (create + full scan) ${(restoreMs / 1000).toFixed(2)} s`);
    console.log(
      `  rescanblockchain 0                        ${(rescanMs / 1000).toFixed(2)} s, ${Math.round((txCount / rescanMs) * 1000).toLocaleString('en-US')} tx/s`,
    );
    console.log(`  reference: reading the blocks only       ${(readMs / 1000).toFixed(2)} s`);
    console.log(`  rescan / read                            ${ratio(rescanMs, readMs)}`);
  } finally {
    await wallets.close();
    mempool.close();
    await chain.close();
    rmSync(walletDir, { recursive: true, force: true });
  }
}

export async function benchWallet(): Promise<void> {
  await benchSend();
  await benchRescan();
}

if (import.meta.url === `file://${process.argv[1]}`) await benchWallet();
