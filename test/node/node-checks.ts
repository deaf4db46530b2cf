/**
 * Consistency checks of a running `tally node`, through its RPC only, shared by the process-level
 * tests (node-e2e, node-crash):
 *
 * - readActiveChain: the block index agrees with itself (getblockcount, getbestblockhash, every
 *   height's getblockhash, getblockheader links, getblockchaininfo, getchaintips) and with the raw
 *   blocks (getblock 0 decodes to the hash the index names, with the parent it names and a Merkle
 *   root that matches its transactions).
 * - replayActiveChain: those raw blocks fed into a fresh in-process Chain give the UTXO set the node
 *   reports (gettxoutsetinfo, hash_serialized_3 and the counts), i.e. the node's UTXO set is exactly
 *   the result of its active chain, whatever crashes it went through.
 * - checkMempool: every pool transaction spends outputs that are unspent in the chain (gettxout with
 *   include_mempool=false) or created by another pool transaction, no outpoint is spent twice, no
 *   pool transaction is already confirmed, and getmempoolinfo counts the same.
 */
import assert from 'node:assert/strict';
import { equalBytes } from '../../src/encoding/bytes.js';
import { fromHex, toDisplayHex } from '../../src/encoding/hex.js';
import { regtest } from '../../src/consensus/networks/regtest.js';
import { Block } from '../../src/primitives/block.js';
import { computeMerkleRoot } from '../../src/primitives/merkle.js';
import { Transaction } from '../../src/primitives/transaction.js';
import { addressFromScript } from '../../src/script/address.js';
import { RpcError } from '../../src/rpc/errors.js';
import type { NodeProcess } from '../support/node-process.js';
import type { TestKey } from '../support/test-chain.js';
import { TestChainStore } from '../support/test-chain-store.js';

/** Regtest's genesis block hash. */
export const REGTEST_GENESIS = '0f9188f13cb7b2c71f2a335e3a4fc328bf5beb436012afca590b1a11466e2206';

export interface HeaderJson {
  readonly hash: string;
  readonly confirmations: number;
  readonly height: number;
  readonly merkleroot: string;
  readonly time: number;
  readonly nTx: number;
  readonly previousblockhash?: string;
  readonly nextblockhash?: string;
}

export interface ChainTipJson {
  readonly height: number;
  readonly hash: string;
  readonly branchlen: number;
  readonly status: 'active' | 'valid-fork' | 'valid-headers' | 'headers-only' | 'invalid';
}

export interface TxOutSetInfo {
  readonly height: number;
  readonly bestblock: string;
  readonly txouts: number;
  readonly bogosize: number;
  readonly hash_serialized_3: string;
  readonly total_amount: number;
  readonly transactions: number;
}

export interface TxOutJson {
  readonly bestblock: string;
  readonly confirmations: number;
  readonly value: number;
  readonly scriptPubKey: { readonly hex: string; readonly address?: string };
  readonly coinbase: boolean;
}

/** The node's active chain as it reports it: hashes and decoded blocks by height, genesis included. */
export interface ActiveChain {
  readonly hashes: readonly string[];
  readonly blocks: readonly Block[];
}

/** A key's P2WPKH address on regtest (bcrt1q...). */
export function regtestAddress(key: TestKey): string {
  const address = addressFromScript(key.p2wpkh(), regtest.addressPrefixes);
  if (address === null) throw new Error('no address for P2WPKH');
  return address;
}

/** BTC as RPC writes it to satoshis (exact for 8 decimals below 2^53 sat). */
export function sats(btc: number): number {
  return Math.round(btc * 1e8);
}

/** Reads the active chain through RPC and checks the block index against itself and the blocks. */
export async function readActiveChain(node: NodeProcess): Promise<ActiveChain> {
  const count = await node.call<number>('getblockcount');
  const best = await node.call<string>('getbestblockhash');
  const heights = Array.from({ length: count + 1 }, (_, h) => h);
  const hashes = await node.batch<string>(heights.map((h) => ['getblockhash', [h]]));
  assert.equal(hashes[0], REGTEST_GENESIS, 'height 0 is the regtest genesis');
  assert.equal(hashes[count], best, 'getblockhash(getblockcount) is getbestblockhash');
  const headers = await node.batch<HeaderJson>(hashes.map((hash) => ['getblockheader', [hash, true]]));
  const raws = await node.batch<string>(hashes.map((hash) => ['getblock', [hash, 0]]));
  const blocks = raws.map((raw) => Block.decode(fromHex(raw)));
  for (const h of heights) {
    const header = headers[h]!;
    const block = blocks[h]!;
    const at = `height ${h}`;
    assert.equal(header.hash, hashes[h], at);
    assert.equal(header.height, h, at);
    assert.equal(header.confirmations, count - h + 1, at);
    assert.equal(header.previousblockhash, h === 0 ? undefined : hashes[h - 1], `${at}: previousblockhash`);
    assert.equal(header.nextblockhash, h === count ? undefined : hashes[h + 1], `${at}: nextblockhash`);
    assert.equal(block.hashHex(), hashes[h], `${at}: getblock 0 bytes hash to the indexed hash`);
    if (h > 0) assert.equal(toDisplayHex(block.header.prevBlock), hashes[h - 1], `${at}: parent`);
    const root = computeMerkleRoot(block.txs.map((tx) => tx.txid())).root;
    assert.ok(equalBytes(root, block.header.merkleRoot), `${at}: Merkle root of the stored transactions`);
    assert.equal(header.merkleroot, toDisplayHex(root), `${at}: merkleroot`);
    assert.equal(header.nTx, block.txs.length, `${at}: nTx`);
  }
  const info = await node.call<{ blocks: number; headers: number; bestblockhash: string }>(
    'getblockchaininfo',
  );
  const tips = await node.call<ChainTipJson[]>('getchaintips');
  // A kill between storing a header and storing its block leaves a headers-only entry (as headers
  // from a peer would): `headers` may run ahead of `blocks`, but only to a tip getchaintips lists.
  const bestHeader = Math.max(...tips.filter((t) => t.status !== 'invalid').map((t) => t.height));
  assert.deepEqual(
    { blocks: info.blocks, headers: info.headers, best: info.bestblockhash },
    { blocks: count, headers: bestHeader, best },
    `getblockchaininfo (getchaintips: ${JSON.stringify(tips)})`,
  );
  // Every block has the same work on regtest: no valid branch may be longer than the active one.
  const longer = tips.filter((t) => t.status === 'valid-fork' && t.height > count);
  assert.deepEqual(longer, [], 'a valid fork with more work than the active chain');
  for (const tip of tips) {
    assert.ok(
      tip.status === 'active' || tip.branchlen > 0,
      `a non-active tip on the active chain: ${JSON.stringify(tip)}`,
    );
    assert.ok(tip.status !== 'active' || tip.hash === best, `getchaintips: ${JSON.stringify(tip)}`);
  }
  const active = tips.filter((t) => t.status === 'active');
  assert.deepEqual(active, [{ height: count, hash: best, branchlen: 0, status: 'active' }], 'getchaintips');
  return { hashes, blocks };
}

/**
 * Feeds the active chain's blocks into a fresh in-process Chain and checks that gettxoutsetinfo
 * equals its digest. Returns the replay (its UTXO set answers getCoin); the caller destroys it.
 */
export async function replayActiveChain(node: NodeProcess, chain: ActiveChain): Promise<TestChainStore> {
  const info = await node.call<TxOutSetInfo>('gettxoutsetinfo');
  // Blocks the node mined carry the wall clock: the replay must not call them time-too-new.
  const replay = await TestChainStore.create({ now: () => Math.floor(Date.now() / 1000) + 7200 });
  try {
    for (const block of chain.blocks.slice(1)) {
      const result = await replay.chain.processBlock(block);
      const why = result.status === 'invalid' ? `: ${result.reason} ${result.debug}` : '';
      assert.equal(result.status, 'connected', `replay of ${block.hashHex()}${why}`);
    }
    const d = await replay.chain.utxoDigest();
    const { height, bestblock, txouts, bogosize, hash_serialized_3, total_amount, transactions } = info;
    assert.deepEqual(
      { height, bestblock, txouts, bogosize, hash_serialized_3, total_amount, transactions },
      {
        height: d.height,
        bestblock: toDisplayHex(d.bestblock),
        txouts: d.txouts,
        bogosize: d.bogosize,
        hash_serialized_3: toDisplayHex(d.hash_serialized_3),
        total_amount: d.total_amount / 1e8,
        transactions: d.transactions,
      },
      'gettxoutsetinfo equals a clean replay of the active chain',
    );
    return replay;
  } catch (err) {
    await replay.destroy();
    throw err;
  }
}

/** Checks the mempool against the chain and itself; returns its transactions (parents first not implied). */
export async function checkMempool(node: NodeProcess, chain: ActiveChain): Promise<Transaction[]> {
  const txids = await node.call<string[]>('getrawmempool');
  const raws = await node.batch<string>(txids.map((txid) => ['getrawtransaction', [txid, 0]]));
  const txs = raws.map((raw) => Transaction.decode(fromHex(raw)));
  const pool = new Map<string, Transaction>();
  txs.forEach((tx, i) => {
    assert.equal(tx.txidHex(), txids[i], 'getrawtransaction returns the transaction asked for');
    pool.set(tx.txidHex(), tx);
  });
  const confirmed = new Set<string>();
  for (const block of chain.blocks) for (const tx of block.txs) confirmed.add(tx.txidHex());
  const spenders = new Map<string, string>();
  const outside: { txid: string; vout: number; spender: string }[] = [];
  for (const tx of txs) {
    assert.ok(!confirmed.has(tx.txidHex()), `mempool tx ${tx.txidHex()} is already in the active chain`);
    for (const input of tx.inputs) {
      const outpoint = `${input.prevout.txid()}:${input.prevout.index}`;
      const other = spenders.get(outpoint);
      assert.equal(other, undefined, `${outpoint} spent by both ${other} and ${tx.txidHex()} in the mempool`);
      spenders.set(outpoint, tx.txidHex());
      const parent = pool.get(input.prevout.txid());
      if (parent !== undefined) {
        assert.ok(input.prevout.index < parent.outputs.length, `${outpoint}: no such output`);
      } else {
        outside.push({ txid: input.prevout.txid(), vout: input.prevout.index, spender: tx.txidHex() });
      }
    }
  }
  const coins = await node.batch<TxOutJson | null>(outside.map((o) => ['gettxout', [o.txid, o.vout, false]]));
  coins.forEach((coin, i) => {
    const o = outside[i]!;
    assert.notEqual(
      coin,
      null,
      `mempool tx ${o.spender} spends ${o.txid}:${o.vout}, not unspent in the chain`,
    );
  });
  const info = await node.call<{ size: number; loaded: boolean }>('getmempoolinfo');
  assert.equal(info.size, txs.length, 'getmempoolinfo size');
  assert.equal(info.loaded, true, 'mempool.dat loaded before RPC answers');
  return txs;
}

/** Expects `promise` to fail with a JSON-RPC error `code` (and `message`); returns the error. */
export async function rpcError(
  promise: Promise<unknown>,
  code: number,
  message?: string | RegExp,
): Promise<RpcError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof RpcError, `expected an RpcError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    if (typeof message === 'string') assert.equal(err.message, message);
    else if (message !== undefined) assert.match(err.message, message);
    return err;
  }
  assert.fail(`expected RPC error ${code}`);
}
