/**
 * `tally node` as a user runs it: one child process on loopback, driven only through JSON-RPC, from
 * a fresh regtest chain through mining, signed spends (a refused double spend, a replacement),
 * confirmation, Merkle proofs, block invalidation, a clean `stop` and a restart that resumes the
 * same chain and mempool. After each step that changes state, the node's block index, UTXO set (a
 * clean in-process replay of its blocks) and mempool are checked (node-checks.ts). The steps share
 * one node and run in order. Bad requests and other lifecycle cases: node-lifecycle.test.ts.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildGenesisBlock } from '../../src/consensus/genesis.js';
import { regtest } from '../../src/consensus/networks/regtest.js';
import { equalBytes } from '../../src/encoding/bytes.js';
import { fromHex, toDisplayHex, toHex } from '../../src/encoding/hex.js';
import { Block } from '../../src/primitives/block.js';
import { MerkleBlock } from '../../src/primitives/merkle-block.js';
import type { Transaction } from '../../src/primitives/transaction.js';
import { RpcTransportError } from '../../src/rpc/client.js';
import { NodeProcess } from '../support/node-process.js';
import { type SpendableOutput, TestChain, TestKey } from '../support/test-chain.js';
import {
  checkMempool,
  type HeaderJson,
  REGTEST_GENESIS,
  readActiveChain,
  regtestAddress,
  replayActiveChain,
  rpcError,
  sats,
  type TxOutJson,
  type TxOutSetInfo,
} from './node-checks.js';

interface VerboseTx {
  readonly txid: string;
  readonly hash: string;
  readonly hex: string;
  readonly vout: {
    readonly value: number;
    readonly n: number;
    readonly scriptPubKey: { address?: string };
  }[];
  readonly blockhash?: string;
  readonly confirmations?: number;
  readonly in_active_chain?: boolean;
}

interface VerboseBlock extends HeaderJson {
  readonly size: number;
  readonly strippedsize: number;
  readonly weight: number;
  readonly tx: readonly (string | VerboseTx)[];
}

describe('tally node end to end over RPC', { timeout: 150_000 }, () => {
  const key = TestKey.fromSeed('node-e2e');
  const other = TestKey.fromSeed('node-e2e-other');
  const address = regtestAddress(key);
  const tc = new TestChain({ key });
  const datadir = mkdtempSync(join(tmpdir(), 'tally-node-e2e-'));
  let node: NodeProcess;
  /** hashes[h] is the block at height h (0 = genesis). */
  let hashes: string[] = [REGTEST_GENESIS];
  const blocks = new Map<string, Block>();
  let spend: Transaction;
  let replacement: Transaction;

  const getBlock = async (hash: string): Promise<Block> => {
    const known = blocks.get(hash);
    if (known !== undefined) return known;
    const block = Block.decode(fromHex(await node.call<string>('getblock', [hash, 0])));
    blocks.set(hash, block);
    return block;
  };
  /** The coinbase output of the block at `height` that pays our key. */
  const coinbaseCoin = async (height: number): Promise<SpendableOutput> => {
    const coinbase = (await getBlock(hashes[height]!)).txs[0]!;
    const outputs = tc.outputs(coinbase).filter((o) => equalBytes(o.scriptPubKey, key.p2wpkh()));
    assert.equal(outputs.length, 1, 'the coinbase pays the generatetoaddress address once');
    return outputs[0]!;
  };
  const send = (tx: Transaction) => node.call<string>('sendrawtransaction', [toHex(tx.encode())]);
  const mempool = async () => (await node.call<string[]>('getrawmempool')).sort();
  const checkAll = async () => {
    const chain = await readActiveChain(node);
    await (await replayActiveChain(node, chain)).destroy();
    await checkMempool(node, chain);
  };

  before(async () => {
    node = await NodeProcess.start({ datadir });
  });
  after(async () => {
    await NodeProcess.killAll();
    rmSync(datadir, { recursive: true, force: true });
  });

  it('starts on the regtest genesis', async () => {
    const info = await node.call<Record<string, unknown>>('getblockchaininfo');
    assert.equal(info.chain, 'regtest');
    assert.equal(info.blocks, 0);
    assert.equal(info.headers, 0);
    assert.equal(info.bestblockhash, REGTEST_GENESIS);
    assert.equal(await node.call('getblockcount'), 0);
    assert.equal(await node.call('getblockhash', [0]), REGTEST_GENESIS);
    const genesis = await getBlock(REGTEST_GENESIS);
    assert.deepEqual(genesis.encode(), buildGenesisBlock(regtest).encode(), 'genesis bytes');
    assert.deepEqual(await node.call('getrawmempool'), []);
  });

  it('generatetoaddress 101: count, best hash, every height, headers and raw blocks agree', async () => {
    const mined = await node.call<string[]>('generatetoaddress', [101, address]);
    assert.equal(mined.length, 101);
    assert.equal(new Set(mined).size, 101);
    assert.equal(await node.call('getblockcount'), 101);
    assert.equal(await node.call('getbestblockhash'), mined[100]);
    const chain = await readActiveChain(node);
    assert.deepEqual(chain.hashes, [REGTEST_GENESIS, ...mined]);
    hashes = [...chain.hashes];
    for (const b of chain.blocks) blocks.set(b.hashHex(), b);
    // Every coinbase pays the address given, 50 BTC (no halving before 150 on regtest).
    for (const h of [1, 50, 101]) {
      const coin = await coinbaseCoin(h);
      assert.equal(coin.value, 50e8);
    }
  });

  it('getblock 0/1/2 and getblockheader describe the same block', async () => {
    const hash = hashes[101]!;
    const raw = await node.call<string>('getblock', [hash, 0]);
    const block = Block.decode(fromHex(raw));
    assert.equal(block.hashHex(), hash);
    assert.equal(toHex(block.encode()), raw, 'the hex re-encodes to itself');
    const v1 = await node.call<VerboseBlock>('getblock', [hash, 1]);
    const v2 = await node.call<VerboseBlock>('getblock', [hash, 2]);
    const vDefault = await node.call<VerboseBlock>('getblock', [hash]);
    assert.deepEqual(vDefault, v1, 'verbosity defaults to 1');
    const header = await node.call<HeaderJson>('getblockheader', [hash]);
    for (const v of [v1, v2]) {
      assert.equal(v.hash, hash);
      assert.equal(v.height, 101);
      assert.equal(v.confirmations, 1);
      assert.equal(v.merkleroot, toDisplayHex(block.header.merkleRoot));
      assert.equal(v.previousblockhash, hashes[100]);
      assert.equal(v.nextblockhash, undefined);
      assert.equal(v.nTx, block.txs.length);
      assert.equal(v.size, block.totalSize());
      assert.equal(v.weight, block.weight());
      for (const field of ['hash', 'height', 'merkleroot', 'time', 'previousblockhash', 'nTx'] as const) {
        assert.equal(v[field], header[field], field);
      }
    }
    assert.deepEqual(
      v1.tx,
      block.txs.map((tx) => tx.txidHex()),
    );
    const coinbase = v2.tx[0] as VerboseTx;
    assert.equal(coinbase.txid, block.txs[0]!.txidHex());
    assert.equal(coinbase.hex, toHex(block.txs[0]!.encode()));
    assert.equal(coinbase.vout[0]!.value, 50);
    assert.equal(coinbase.vout[0]!.scriptPubKey.address, address);
    assert.equal(await node.call('getblockheader', [hash, false]), toHex(block.header.encode()));
  });

  it('sendrawtransaction: a signed spend enters the mempool; a conflicting spend is refused', async () => {
    const coin = await coinbaseCoin(1);
    spend = tc.spend([coin]);
    assert.equal(await send(spend), spend.txidHex());
    assert.deepEqual(await mempool(), [spend.txidHex()]);
    const entry = await node.call<{ vsize: number; wtxid: string; fees: { base: number }; height: number }>(
      'getmempoolentry',
      [spend.txidHex()],
    );
    assert.equal(sats(entry.fees.base), 1000);
    assert.equal(entry.vsize, spend.vsize());
    assert.equal(entry.wtxid, spend.wtxidHex());
    assert.equal(entry.height, 101);
    // The coin is spent as the mempool sees it, unspent as the chain does.
    assert.equal(await node.call('gettxout', [coin.outpoint.txid(), coin.outpoint.index]), null);
    const inChain = await node.call<TxOutJson>('gettxout', [
      coin.outpoint.txid(),
      coin.outpoint.index,
      false,
    ]);
    assert.equal(inChain.confirmations, 101);
    assert.equal(inChain.coinbase, true);
    const out = await node.call<TxOutJson>('gettxout', [spend.txidHex(), 0]);
    assert.equal(out.confirmations, 0);
    assert.equal(sats(out.value), 50e8 - 1000);

    // A double spend paying no more than the original. Tally's mempool applies full RBF, Core's
    // default since v28, so the refusal is Core's replacement rule 6 ("insufficient fee", code -26);
    // `txn-mempool-conflict` is what Core <= v27 (mempoolfullrbf=0) said, and `tally node` has no
    // -mempoolfullrbf option to ask for that.
    const conflict = tc.spend([coin], {
      outputs: [{ value: coin.value - 1000, scriptPubKey: other.p2wpkh() }],
    });
    await rpcError(
      send(conflict),
      -26,
      new RegExp(
        `^insufficient fee, rejecting replacement ${conflict.txidHex()}; new feerate [0-9.]+ BTC/kvB <= old feerate [0-9.]+ BTC/kvB$`,
      ),
    );
    assert.deepEqual(await mempool(), [spend.txidHex()], 'the first spend stays');
    await rpcError(node.call('getmempoolentry', [conflict.txidHex()]), -5, 'Transaction not in mempool');

    // A conflict that pays enough more replaces the original (BIP125 rules 3/4 under full RBF).
    const coin2 = await coinbaseCoin(2);
    const first = tc.spend([coin2]);
    await send(first);
    replacement = tc.spend([coin2], { fee: 5000 });
    assert.equal(await send(replacement), replacement.txidHex());
    assert.deepEqual(await mempool(), [spend.txidHex(), replacement.txidHex()].sort());
    await rpcError(node.call('getmempoolentry', [first.txidHex()]), -5, 'Transaction not in mempool');
    // Sending the same transaction again is not an error (Core rebroadcasts it).
    assert.equal(await send(spend), spend.txidHex());
    await checkAll();
  });

  it('generatetoaddress 1 confirms both; getrawtransaction, gettxout and gettxoutsetinfo follow', async () => {
    const [hash] = await node.call<string[]>('generatetoaddress', [1, address]);
    hashes.push(hash!);
    assert.deepEqual(await mempool(), []);
    const block = await getBlock(hash!);
    assert.deepEqual(
      block.txs
        .slice(1)
        .map((tx) => tx.txidHex())
        .sort(),
      [spend.txidHex(), replacement.txidHex()].sort(),
    );
    // The coinbase collects the fees (1000 + 5000 sat).
    assert.equal(
      block.txs[0]!.outputs.reduce((sum, o) => sum + o.value, 0),
      50e8 + 6000,
    );
    const tx = await node.call<VerboseTx>('getrawtransaction', [spend.txidHex(), true]);
    assert.equal(tx.txid, spend.txidHex());
    assert.equal(tx.hash, spend.wtxidHex());
    assert.equal(tx.hex, toHex(spend.encode()));
    assert.equal(tx.blockhash, hash);
    assert.equal(tx.confirmations, 1);
    assert.equal(await node.call('getrawtransaction', [spend.txidHex(), 0]), toHex(spend.encode()));
    const inBlock = await node.call<VerboseTx>('getrawtransaction', [spend.txidHex(), 1, hash]);
    assert.equal(inBlock.in_active_chain, true);

    const spent = spend.inputs[0]!.prevout;
    assert.equal(await node.call('gettxout', [spent.txid(), spent.index]), null);
    assert.equal(await node.call('gettxout', [spent.txid(), spent.index, false]), null);
    const unspent = await node.call<TxOutJson>('gettxout', [spend.txidHex(), 0]);
    assert.equal(unspent.confirmations, 1);
    assert.equal(unspent.bestblock, hash);
    assert.equal(unspent.coinbase, false);
    assert.equal(unspent.scriptPubKey.address, address);
    assert.equal(await node.call('gettxout', [spend.txidHex(), 1]), null, 'no such output');

    // Already confirmed: Core's "already in utxo set"; the refused double spend now misses its input.
    await rpcError(send(spend), -27, 'Transaction outputs already in utxo set');
    const doubleSpend = tc.spend([{ outpoint: spent, value: 50e8, scriptPubKey: key.p2wpkh() }], {
      outputs: [{ value: 50e8 - 2000, scriptPubKey: other.p2wpkh() }],
    });
    await rpcError(send(doubleSpend), -25, /^bad-txns-inputs-missingorspent/);

    const info = await node.call<TxOutSetInfo>('gettxoutsetinfo');
    assert.equal(info.height, 102);
    assert.equal(info.bestblock, hash);
    // 102 coinbases of 50 BTC (fees move value, never create it); 102 coinbase outputs, 2 of them
    // spent, and the 2 outputs the spends made (the witness commitment is unspendable: not a coin).
    assert.equal(sats(info.total_amount), 102 * 50e8);
    assert.equal(info.txouts, 102);
    await checkAll();
  });

  it('gettxoutproof and verifytxoutproof round trip', async () => {
    const hash = hashes[102]!;
    const proof = await node.call<string>('gettxoutproof', [[spend.txidHex()]]);
    assert.equal(await node.call('gettxoutproof', [[spend.txidHex()], hash]), proof);
    const decoded = MerkleBlock.decode(fromHex(proof));
    assert.equal(decoded.header.hashHex(), hash);
    assert.deepEqual(await node.call('verifytxoutproof', [proof]), [spend.txidHex()]);
    const both = await node.call<string>('gettxoutproof', [[spend.txidHex(), replacement.txidHex()]]);
    assert.deepEqual(
      (await node.call<string[]>('verifytxoutproof', [both])).sort(),
      [spend.txidHex(), replacement.txidHex()].sort(),
    );
    // A proof for a transaction of an older block, found through the tx index.
    const coinbase1 = (await getBlock(hashes[1]!)).txs[0]!.txidHex();
    const old = await node.call<string>('gettxoutproof', [[coinbase1]]);
    assert.deepEqual(await node.call('verifytxoutproof', [old]), [coinbase1]);
    // One bit changed in the hashes the proof carries: it no longer reaches the header's root.
    const bytes = fromHex(proof);
    bytes[bytes.length - 40]! ^= 1;
    assert.deepEqual(await node.call('verifytxoutproof', [toHex(bytes)]), []);
    await rpcError(
      node.call('gettxoutproof', [[spend.txidHex()], hashes[101]]),
      -5,
      'Not all transactions found in specified or retrieved block',
    );
  });

  it('invalidateblock moves the tip back and returns the transactions to the mempool; reconsiderblock undoes it', async () => {
    const tip = hashes[102]!;
    assert.equal(await node.call('invalidateblock', [tip]), null);
    assert.equal(await node.call('getblockcount'), 101);
    assert.equal(await node.call('getbestblockhash'), hashes[101]);
    assert.deepEqual(await mempool(), [spend.txidHex(), replacement.txidHex()].sort());
    const back = await node.call<VerboseTx>('getrawtransaction', [spend.txidHex(), true]);
    assert.equal(back.blockhash, undefined, 'served from the mempool now');
    assert.equal((await node.call<TxOutJson>('gettxout', [spend.txidHex(), 0])).confirmations, 0);
    const tips = await node.call<{ hash: string; status: string }[]>('getchaintips');
    assert.ok(
      tips.some((t) => t.hash === tip && t.status === 'invalid'),
      JSON.stringify(tips),
    );
    // The UTXO set after disconnecting equals a replay of the 101 blocks left.
    await checkAll();

    assert.equal(await node.call('reconsiderblock', [tip]), null);
    assert.equal(await node.call('getblockcount'), 102);
    assert.equal(await node.call('getbestblockhash'), tip);
    assert.deepEqual(await mempool(), []);
    assert.equal((await node.call<VerboseTx>('getrawtransaction', [spend.txidHex(), true])).confirmations, 1);
    await checkAll();
  });

  it('stop: exit 0, cookie removed, mempool.dat written; a restart resumes the chain and the mempool', async () => {
    // Leave a parent and its child in the mempool.
    const parent = tc.spend([await coinbaseCoin(3)], {
      outputs: [{ value: 20e8 }, { value: 30e8 - 1000 }],
    });
    const child = tc.spend([tc.outputs(parent)[1]!]);
    await send(parent);
    await send(child);
    const pool = await mempool();
    assert.deepEqual(pool, [parent.txidHex(), child.txidHex()].sort());
    const before = await node.call<TxOutSetInfo>('gettxoutsetinfo');

    assert.equal(await node.call('stop'), 'Tally stopping');
    assert.deepEqual(await node.waitExit(30_000), { code: 0, signal: null });
    assert.match(node.log(), /"msg":"stopped"/);
    assert.equal(existsSync(node.cookieFile), false, 'cookie removed');
    const dat = join(node.networkDir, 'mempool.dat');
    assert.ok(existsSync(dat) && statSync(dat).size > 0, 'mempool.dat written');
    await assert.rejects(node.call('getblockcount'), RpcTransportError);

    node = await NodeProcess.start({ datadir });
    assert.equal(await node.call('getblockcount'), 102);
    assert.equal(await node.call('getbestblockhash'), hashes[102]);
    assert.deepEqual(await mempool(), pool, 'the mempool came back from mempool.dat');
    assert.deepEqual(await node.call('gettxoutsetinfo'), before);
    const entry = await node.call<{ depends: string[] }>('getmempoolentry', [child.txidHex()]);
    assert.deepEqual(entry.depends, [parent.txidHex()]);
    await checkAll();

    // Work resumes: the next block confirms both.
    const [hash] = await node.call<string[]>('generatetoaddress', [1, address]);
    assert.deepEqual(await mempool(), []);
    assert.equal((await node.call<VerboseTx>('getrawtransaction', [child.txidHex(), 1])).blockhash, hash);
    await checkAll();
    assert.deepEqual(await node.stop(), { code: 0, signal: null });
    assert.equal(existsSync(node.cookieFile), false);
  });
});
