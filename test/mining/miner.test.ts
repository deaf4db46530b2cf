import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkCoinbaseHeight } from '../../src/consensus/contextual.js';
import { regtest } from '../../src/consensus/networks/regtest.js';
import { checkProofOfWork } from '../../src/consensus/pow.js';
import { checkWitnessCommitment, witnessCommitmentIndex } from '../../src/consensus/witness-commitment.js';
import { Mempool } from '../../src/mempool/mempool.js';
import { BlockAssembler, type BlockAssemblerOptions } from '../../src/mining/block-assembler.js';
import { BlockTemplate } from '../../src/mining/block-template.js';
import { MiningError } from '../../src/mining/errors.js';
import { Miner } from '../../src/mining/miner.js';
import type { Block } from '../../src/primitives/block.js';
import type { Transaction } from '../../src/primitives/transaction.js';
import { parseScript } from '../../src/script/script.js';
import { decodeScriptNum } from '../../src/script/script-num.js';
import { type SpendableOutput, TestChain } from '../support/test-chain.js';
import { TEST_NOW, TestChainStore } from '../support/test-chain-store.js';

const COIN = 100_000_000;

describe('Miner and BlockAssembler on a regtest Chain and Mempool', () => {
  const tc = new TestChain();
  const payTo = tc.key.p2wpkh();
  let store: TestChainStore;
  let mempool: Mempool;
  let assembler: BlockAssembler;
  let miner: Miner;
  /** Every block mined so far, by height - 1. */
  const mined: Block[] = [];
  let nextCoin = 0;

  const chain = () => store.chain;
  const assemblerWith = (over: Partial<BlockAssemblerOptions> = {}) =>
    new BlockAssembler({ network: regtest, now: () => TEST_NOW, ...over }, { chain: chain(), mempool });
  /** Reads the blocks behind `hashes` back from the chain and lets the builder spend their coins. */
  const record = async (hashes: readonly Uint8Array[]): Promise<Block[]> => {
    const blocks: Block[] = [];
    for (const hash of hashes) {
      const block = await chain().getBlock(hash);
      assert.ok(block !== undefined);
      tc.register(block);
      blocks.push(block);
    }
    mined.push(...blocks);
    return blocks;
  };
  /** A mature coinbase output not spent yet. */
  const coin = (): SpendableOutput => tc.coinbaseOutput(mined[nextCoin++]!);
  const accept = async (tx: Transaction): Promise<void> => {
    const r = await mempool.accept(tx);
    assert.ok(r.ok, r.ok ? '' : `${r.reason} ${r.debug}`);
  };

  before(async () => {
    store = await TestChainStore.create();
    mempool = new Mempool({ network: regtest }, { chain: chain(), now: () => TEST_NOW });
    assembler = assemblerWith();
    miner = new Miner({ network: regtest, threads: 2 }, { chain: chain(), mempool, assembler });
  });
  after(async () => {
    await miner.close();
    mempool.close();
    await store.destroy();
  });

  it('generates 150 blocks: each connected, BIP34 height, commitment, halving at 150', async () => {
    const t0 = performance.now();
    const hashes = await miner.generate(150, payTo);
    const ms = performance.now() - t0;
    assert.equal(hashes.length, 150);
    assert.equal(chain().height, 150);
    const blocks = await record(hashes);
    blocks.forEach((block, i) => {
      const height = i + 1;
      assert.deepEqual(chain().getEntryAtHeight(height)?.hash, hashes[i]);
      assert.equal(checkProofOfWork(block.hash(), block.header.bits, regtest.consensus), true);
      assert.equal(checkCoinbaseHeight(block, height).ok, true);
      assert.equal(block.txs.length, 1);
      assert.notEqual(witnessCommitmentIndex(block), -1);
      assert.equal(checkWitnessCommitment(block, true).ok, true);
      assert.equal(block.header.version, 0x20000000);
      assert.ok(block.header.time >= TEST_NOW);
      assert.deepEqual(block.txs[0]!.outputs[0]!.scriptPubKey, payTo);
      // Regtest halves every 150 blocks: 50 BTC up to height 149, 25 BTC from 150.
      assert.equal(block.txs[0]!.outputs[0]!.value, height < 150 ? 50 * COIN : 25 * COIN);
    });
    assert.ok(ms < 30_000, `150 blocks took ${ms.toFixed(0)} ms`);
  });

  it('fills the template from the mempool in ancestor-fee-rate order and empties the pool', async () => {
    const parent = tc.spend([coin()], { fee: 500 });
    const child = tc.spend(tc.outputs(parent), { fee: 20_000 });
    const high = tc.spend([coin()], { fee: 5000 });
    const mid = tc.spend([coin()], { fee: 3000 });
    const low = tc.spend([coin()], { fee: 1000 });
    for (const tx of [low, parent, mid, child, high]) await accept(tx);
    assert.equal(mempool.size, 5);

    const template = assembler.createTemplate({ coinbaseScript: payTo });
    // The parent pays little, but with its child the package beats everything else (CPFP).
    const order = [parent, child, high, mid, low];
    assert.deepEqual(
      template.transactions.map((t) => t.tx.txidHex()),
      order.map((tx) => tx.txidHex()),
    );
    assert.deepEqual(
      template.transactions.map((t) => t.depends),
      [[], [1], [], [], []],
    );
    assert.equal(template.fees, 29_500);
    assert.equal(template.coinbaseValue, 25 * COIN + 29_500);
    assert.equal(template.height, 151);
    const json = template.toGetBlockTemplateJson();
    assert.deepEqual(
      json.transactions.map((t) => t.fee),
      [500, 20_000, 5000, 3000, 1000],
    );
    assert.equal(json.transactions[0]!.sigops, 1); // one P2WPKH input: one witness sigop

    const [hash] = await miner.generate(1, payTo);
    const [block] = await record([hash!]);
    assert.deepEqual(
      block!.txs.slice(1).map((tx) => tx.txidHex()),
      order.map((tx) => tx.txidHex()),
    );
    assert.equal(block!.txs[0]!.outputs[0]!.value, 25 * COIN + 29_500);
    assert.equal(mempool.size, 0);
    for (const tx of order) {
      assert.equal(mempool.has(tx.txid()), false);
      assert.equal((await chain().getTxLocation(tx.txid()))?.height, 151);
    }
  });

  it('keeps templates strictly below the weight and sigop limits', async () => {
    const parent = tc.spend([coin()], { fee: 500 });
    const child = tc.spend(tc.outputs(parent), { fee: 20_000 });
    const other = tc.spend([coin()], { fee: 5000 });
    for (const tx of [parent, child, other]) await accept(tx);
    const txids = (a: BlockAssembler) =>
      a.createTemplate({ coinbaseScript: payTo }).transactions.map((t) => t.tx.txidHex());
    const pair = [parent.txidHex(), child.txidHex()];

    // 1,000 weight units after the reserve: the 2-transaction package (~880) fits, a third does not.
    assert.deepEqual(txids(assemblerWith({ reservedWeight: 2000, blockMaxWeight: 3000 })), pair);
    // 3 sigops of room (each P2WPKH input costs 1): 2 fit, 3 would reach the limit.
    assert.deepEqual(txids(assemblerWith({ coinbaseSigOpsReserve: 80_000 - 3 })), pair);
    assert.deepEqual(txids(assembler), [...pair, other.txidHex()]);

    await record(await miner.generate(1, payTo));
    assert.equal(mempool.size, 0);
  });

  it('rolls the extraNonce when the nonce space runs out (1 nonce per coinbase)', async () => {
    const small = new Miner(
      { network: regtest, threads: 1, nonceSpace: 1 },
      { chain: chain(), mempool, assembler },
    );
    try {
      const start = chain().height;
      const blocks = await record(await small.generate(16, payTo));
      assert.equal(chain().height, start + 16);
      const extraNonces = blocks.map((block) => {
        const [, push] = parseScript(block.txs[0]!.inputs[0]!.scriptSig);
        assert.equal(block.header.nonce, 0); // the only nonce tried
        return decodeScriptNum(push!.data!, false, 8) as number;
      });
      // About every other header fails regtest's target, so some blocks needed a new coinbase.
      assert.ok(
        extraNonces.some((n) => n > 0),
        `extraNonces ${extraNonces.join(',')}`,
      );
    } finally {
      await small.close();
    }
  });

  it('stops at maxTries with a MiningError carrying the blocks mined so far', async () => {
    await assert.rejects(miner.generate(1, payTo, { maxTries: 0 }), (err: unknown) => {
      assert.ok(err instanceof MiningError);
      assert.equal(err.code, 'max-tries');
      assert.deepEqual(err.hashes, []);
      return true;
    });
    const start = chain().height;
    const err = await miner.generate(200, payTo, { maxTries: 3 }).catch((e: unknown) => e);
    assert.ok(err instanceof MiningError && err.code === 'max-tries');
    assert.equal(chain().height, start + err.hashes.length);
    assert.ok(err.hashes.length < 200);
    await record(err.hashes);
  });

  it('cancels a worker search as soon as the tip moves away from its parent', async () => {
    const base = assembler.createTemplate({ coinbaseScript: payTo });
    // The same template at mainnet difficulty: no solution within any time this test runs.
    const hard = new BlockTemplate({ ...base, bits: 0x1d00ffff, coinbaseTag: undefined });
    // Start the workers first, so the cancellation below hits a running search.
    assert.equal((await miner.mineTemplate(hard, 10_000)).status, 'max-tries');
    const running = miner.mineTemplate(hard, 2 ** 40);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const tipHash = chain().tip.hash;
    const block = tc.block({ parent: tipHash });
    assert.equal((await chain().processBlock(block)).status, 'connected');
    mined.push(block);
    const outcome = await running;
    assert.equal(outcome.status, 'cancelled');
    assert.ok(outcome.tries > 4096, `workers ran: ${outcome.tries} tries`);
  });

  it('keeps the first block of a period within MAX_TIMEWARP of its parent (GetMinimumTime)', async () => {
    // Regtest's period is 144 blocks; build up to the block before the next boundary at 288.
    await record(await miner.generate(286 - chain().height, payTo));
    const late = tc.block({ parent: chain().tip.hash, time: TEST_NOW + 5000 });
    assert.equal((await chain().processBlock(late)).status, 'connected');
    mined.push(late);
    const mtp = chain().medianTimePast(chain().tip);
    const boundary = assembler.createTemplate({ coinbaseScript: payTo });
    assert.equal(boundary.height, 288);
    assert.ok(mtp + 1 < TEST_NOW + 5000 - 600);
    assert.equal(boundary.minTime, TEST_NOW + 5000 - 600);
    assert.equal(boundary.time, TEST_NOW + 5000 - 600); // the clock (TEST_NOW) is earlier
    await record(await miner.generate(1, payTo));
    // Off the boundary the bound is the median time past alone.
    const next = assembler.createTemplate({ coinbaseScript: payTo });
    assert.equal(next.minTime, chain().medianTimePast(chain().tip) + 1);
  });

  it('refuses a coinbase tag that cannot fit in 100 bytes', () => {
    assert.throws(
      () => assemblerWith({ coinbaseTag: new Uint8Array(88) }),
      (err: unknown) => err instanceof MiningError && err.code === 'bad-request',
    );
    const tagged = assemblerWith({ coinbaseTag: new TextEncoder().encode('/tally/') });
    const scriptSig = tagged.createTemplate({ coinbaseScript: payTo }).toBlock().txs[0]!.inputs[0]!.scriptSig;
    assert.equal(new TextDecoder().decode(parseScript(scriptSig)[2]!.data), '/tally/');
  });
});
