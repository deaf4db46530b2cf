import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { regtest } from '../../src/consensus/networks/regtest.js';
import { blockProof } from '../../src/consensus/pow.js';
import { DecodeError } from '../../src/encoding/errors.js';
import { toDisplayHex, toHex } from '../../src/encoding/hex.js';
import { Block } from '../../src/primitives/block.js';
import { MerkleBlock } from '../../src/primitives/merkle-block.js';
import { RpcErrorCode as E } from '../../src/rpc/errors.js';
import { summarizeRawBlock } from '../../src/rpc/json/block.js';
import { writeJson } from '../../src/rpc/json/write.js';
import { read300025Files } from '../chain/block-300025.js';
import { assertStatus } from '../support/test-chain-assert.js';
import { RpcHarness, rejectsRpc } from './support.js';

type Json = Record<string, unknown>;

describe('blockchain RPCs on a regtest chain', () => {
  let h: RpcHarness;
  const hash = (i: number) => h.blocks[i - 1]!.hashHex();

  before(async () => {
    h = await RpcHarness.create({ blocks: 110 });
  });
  after(() => h.destroy());

  it('getblockcount, getbestblockhash, getblockhash', async () => {
    assert.equal(await h.call('getblockcount'), 110);
    assert.equal(await h.call('getbestblockhash'), hash(110));
    assert.equal(await h.call('getblockhash', [0]), regtest.genesis.hash);
    assert.equal(await h.call('getblockhash', [5]), hash(5));
    assert.equal(await h.call('getblockhash', { height: 7 }), hash(7));
    await rejectsRpc(h.call('getblockhash', [111]), E.RPC_INVALID_PARAMETER, 'Block height out of range');
    await rejectsRpc(h.call('getblockhash', [-1]), E.RPC_INVALID_PARAMETER, 'Block height out of range');
    await rejectsRpc(h.call('getblockhash', [1.5]), E.RPC_MISC_ERROR, 'JSON integer out of range');
    await rejectsRpc(
      h.call('getblockhash', ['1']),
      E.RPC_TYPE_ERROR,
      'Wrong type passed:\n{\n    "Position 1 (height)": "JSON value of type string is not of expected type number"\n}',
    );
  });

  it('getblockheader: verbose object and hex', async () => {
    const header = (await h.call('getblockheader', [hash(100)])) as Json;
    const entry = h.chain.getEntryAtHeight(100)!;
    assert.deepEqual(Object.keys(header), [
      'hash',
      'confirmations',
      'height',
      'version',
      'versionHex',
      'merkleroot',
      'time',
      'mediantime',
      'nonce',
      'bits',
      'target',
      'difficulty',
      'chainwork',
      'nTx',
      'previousblockhash',
      'nextblockhash',
    ]);
    assert.equal(header.confirmations, 11);
    assert.equal(header.height, 100);
    assert.equal(header.bits, '207fffff');
    assert.equal(header.target, '7fffff0000000000000000000000000000000000000000000000000000000000');
    assert.equal(header.difficulty, 4.656542373906925e-10);
    assert.equal(header.chainwork, entry.chainwork.toString(16).padStart(64, '0'));
    assert.equal(header.chainwork, (blockProof(0x207fffff) * 101n).toString(16).padStart(64, '0'));
    assert.equal(header.nTx, 1);
    assert.equal(header.previousblockhash, hash(99));
    assert.equal(header.nextblockhash, hash(101));
    assert.equal(header.mediantime, h.chain.medianTimePast(entry));
    assert.equal(await h.call('getblockheader', [hash(100), false]), toHex(h.blocks[99]!.header.encode()));
    const tip = (await h.call('getblockheader', [hash(110)])) as Json;
    assert.equal(tip.confirmations, 1);
    assert.equal(tip.nextblockhash, undefined);
    await rejectsRpc(
      h.call('getblockheader', ['00'.repeat(32)]),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      'Block not found',
    );
    await rejectsRpc(
      h.call('getblockheader', ['abc']),
      E.RPC_INVALID_PARAMETER,
      "hash must be of length 64 (not 3, for 'abc')",
    );
    await rejectsRpc(
      h.call('getblockheader', ['zz'.repeat(32)]),
      E.RPC_INVALID_PARAMETER,
      `hash must be hexadecimal string (not '${'zz'.repeat(32)}')`,
    );
  });

  it('getblock at verbosity 0, 1, 2 and 3', async () => {
    const block = h.blocks[49]!;
    assert.equal(await h.call('getblock', [hash(50), 0]), toHex(block.encode()));
    assert.equal(await h.call('getblock', [hash(50), false]), toHex(block.encode()));
    const v1 = (await h.call('getblock', [hash(50)])) as Json;
    assert.deepEqual(Object.keys(v1).slice(-4), ['strippedsize', 'size', 'weight', 'tx']);
    assert.equal(v1.size, block.totalSize());
    assert.equal(v1.strippedsize, block.baseSize());
    assert.equal(v1.weight, block.weight());
    assert.deepEqual(v1.tx, [block.txs[0]!.txidHex()]);
    assert.deepEqual(await h.call('getblock', { blockhash: hash(50), verbose: true }), v1);
    const v2 = (await h.call('getblock', [hash(50), 2])) as { tx: Json[] };
    const cb = v2.tx[0]!;
    assert.equal(cb.txid, block.txs[0]!.txidHex());
    assert.equal(cb.hex, toHex(block.txs[0]!.encode()));
    assert.equal(cb.fee, undefined);
    assert.match(
      writeJson(((await h.callRaw('getblock', [hash(50), 2])) as { tx: Json[] }).tx[0]),
      /"value":50\.00000000/,
    );
    const v3 = (await h.call('getblock', [hash(50), 3])) as Json;
    assert.deepEqual(Object.keys(v3), Object.keys(v2));
    await rejectsRpc(h.call('getblock', ['11'.repeat(32)]), E.RPC_INVALID_ADDRESS_OR_KEY, 'Block not found');
    await rejectsRpc(
      h.call('getblock', [hash(50), 'x']),
      E.RPC_TYPE_ERROR,
      'JSON value of type string is not of expected type number',
    );
    await rejectsRpc(
      h.call('getblock', ['x'.repeat(64)]),
      E.RPC_INVALID_PARAMETER,
      /^blockhash must be hexadecimal string/,
    );
  });

  it('getblockchaininfo and getdifficulty', async () => {
    const info = (await h.call('getblockchaininfo')) as Json;
    assert.deepEqual(Object.keys(info), [
      'chain',
      'blocks',
      'headers',
      'bestblockhash',
      'bits',
      'target',
      'difficulty',
      'time',
      'mediantime',
      'verificationprogress',
      'initialblockdownload',
      'chainwork',
      'size_on_disk',
      'pruned',
      'warnings',
    ]);
    assert.equal(info.chain, 'regtest');
    assert.equal(info.blocks, 110);
    assert.equal(info.headers, 110);
    assert.equal(info.bestblockhash, hash(110));
    // The builder's blocks are dated 2011 while the clock says 2023: still catching up, as bitcoind says.
    assert.equal(info.initialblockdownload, true);
    assert.deepEqual(info.warnings, []);
    assert.equal(await h.call('getdifficulty'), 4.656542373906925e-10);
  });

  it('gettxout and gettxoutsetinfo', async () => {
    const cb = h.blocks[0]!.txs[0]!;
    const out = (await h.callRaw('gettxout', [cb.txidHex(), 0])) as Json;
    assert.equal(out.bestblock, hash(110));
    assert.equal(Number(out.confirmations), 110);
    assert.equal(out.coinbase, true);
    assert.match(writeJson(out), /"value":50\.00000000/);
    assert.equal((out.scriptPubKey as Json).type, 'witness_v0_keyhash');
    assert.equal(await h.call('gettxout', [cb.txidHex(), 1]), null);
    assert.equal(await h.call('gettxout', [cb.txidHex(), -1, false]), null);
    await rejectsRpc(
      h.call('gettxout', ['00', 0]),
      E.RPC_INVALID_PARAMETER,
      "txid must be of length 64 (not 2, for '00')",
    );
    const info = (await h.callRaw('gettxoutsetinfo')) as Json;
    assert.deepEqual(Object.keys(info), [
      'height',
      'bestblock',
      'txouts',
      'bogosize',
      'hash_serialized_3',
      'total_amount',
      'transactions',
      'disk_size',
    ]);
    assert.equal(Number(info.height), 110);
    assert.equal(Number(info.txouts), 110);
    assert.match(writeJson(info.total_amount), /^5500\.00000000$/);
    const none = (await h.call('gettxoutsetinfo', ['none'])) as Json;
    assert.equal(none.hash_serialized_3, undefined);
    await rejectsRpc(
      h.call('gettxoutsetinfo', ['md5']),
      E.RPC_INVALID_PARAMETER,
      "'md5' is not a valid hash_type",
    );
    await rejectsRpc(
      h.call('gettxoutsetinfo', ['none', 5]),
      E.RPC_INVALID_PARAMETER,
      /requires coinstatsindex/,
    );
  });

  it('gettxoutproof and verifytxoutproof', async () => {
    const tx = h.blocks[9]!.txs[0]!;
    const proof = (await h.call('gettxoutproof', [[tx.txidHex()]])) as string;
    assert.equal(MerkleBlock.decode(Buffer.from(proof, 'hex')).header.hashHex(), hash(10));
    assert.equal(await h.call('gettxoutproof', [[tx.txidHex()], hash(10)]), proof);
    assert.deepEqual(await h.call('verifytxoutproof', [proof]), [tx.txidHex()]);
    await rejectsRpc(
      h.call('gettxoutproof', [[]]),
      E.RPC_INVALID_PARAMETER,
      "Parameter 'txids' cannot be empty",
    );
    await rejectsRpc(
      h.call('gettxoutproof', [[tx.txidHex(), tx.txidHex()]]),
      E.RPC_INVALID_PARAMETER,
      `Invalid parameter, duplicated txid: ${tx.txidHex()}`,
    );
    await rejectsRpc(
      h.call('gettxoutproof', [[tx.txidHex()], hash(11)]),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      'Not all transactions found in specified or retrieved block',
    );
    await rejectsRpc(
      h.call('gettxoutproof', [['ab'.repeat(32)]]),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      'Transaction not yet in block',
    );
    await rejectsRpc(h.call('verifytxoutproof', ['00']), E.RPC_DESERIALIZATION_ERROR, /Proof decode failed/);
  });

  it('getrawtransaction through the tx index and with a block hash', async () => {
    const tx = h.blocks[19]!.txs[0]!;
    assert.equal(await h.call('getrawtransaction', [tx.txidHex()]), toHex(tx.encode()));
    const v = (await h.call('getrawtransaction', [tx.txidHex(), true])) as Json;
    assert.deepEqual(Object.keys(v).slice(-5), ['hex', 'blockhash', 'confirmations', 'time', 'blocktime']);
    assert.equal(v.blockhash, hash(20));
    assert.equal(v.confirmations, 91);
    const inBlock = (await h.call('getrawtransaction', [tx.txidHex(), 1, hash(20)])) as Json;
    assert.equal(inBlock.in_active_chain, true);
    await rejectsRpc(
      h.call('getrawtransaction', [regtest.genesis.merkleRoot]),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      'The genesis block coinbase is not considered an ordinary transaction and cannot be retrieved',
    );
    await rejectsRpc(
      h.call('getrawtransaction', ['ab'.repeat(32)]),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      'No such mempool or blockchain transaction. Use gettransaction for wallet transactions.',
    );
    await rejectsRpc(
      h.call('getrawtransaction', [tx.txidHex(), 0, hash(21)]),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      'No such transaction found in the provided block. Use gettransaction for wallet transactions.',
    );
    await rejectsRpc(
      h.call('getrawtransaction', [tx.txidHex(), 0, 'cd'.repeat(32)]),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      'Block hash not found',
    );
  });

  it('getchaintips, invalidateblock and reconsiderblock', async () => {
    const fork = h.tc.block({ parent: h.blocks[107]! });
    assertStatus(await h.chain.processBlock(fork), 'stored');
    const tips = (await h.call('getchaintips')) as Json[];
    assert.deepEqual(
      tips.find((t) => t.status === 'active'),
      { height: 110, hash: hash(110), branchlen: 0, status: 'active' },
    );
    assert.deepEqual(
      tips.find((t) => t.hash === fork.hashHex()),
      {
        height: 109,
        hash: fork.hashHex(),
        branchlen: 1,
        // Stored but never connected: only its header is known valid (Core says the same).
        status: 'valid-headers',
      },
    );
    assert.equal(await h.call('invalidateblock', [hash(109)]), null);
    assert.equal(await h.call('getbestblockhash'), fork.hashHex());
    const old = (await h.call('getblockheader', [hash(110)])) as Json;
    assert.equal(old.confirmations, -1);
    assert.equal(await h.call('reconsiderblock', [hash(109)]), null);
    assert.equal(await h.call('getbestblockhash'), hash(110));
    const after = (await h.call('getchaintips')) as Json[];
    assert.equal(after.find((t) => t.hash === fork.hashHex())?.status, 'valid-fork');
    await rejectsRpc(
      h.call('invalidateblock', ['00'.repeat(32)]),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      'Block not found',
    );
    await rejectsRpc(h.call('invalidateblock', [regtest.genesis.hash]), E.RPC_DATABASE_ERROR, /genesis/);
    assert.equal(toDisplayHex(h.chain.tip.hash), hash(110));
  });
});

describe('getblock reads stored bytes without re-serializing', () => {
  let h: RpcHarness;
  let target: Block;
  let fan: Block;

  before(async () => {
    h = await RpcHarness.create({ blocks: 101 });
    // One transaction splitting a coinbase into 20 coins, then a block of 20 witness spends of them.
    const split = h.tc.spend([h.tc.coinbaseOutput(h.blocks[0]!)], {
      outputs: Array.from({ length: 20 }, () => ({ value: 2_000_000_000 / 20 - 1_000 })),
    });
    fan = h.tc.block({ txs: [split] });
    target = h.tc.block({ txs: h.tc.outputs(split).map((coin) => h.tc.spend([coin])) });
    for (const b of [fan, target]) assertStatus(await h.chain.processBlock(b), 'connected');
  });
  after(() => h.destroy());

  it('verbosity 1 lists the txids and sizes of the decoded block', async () => {
    assert.ok(target.txs.slice(1).every((tx) => tx.hasWitness()));
    const v1 = (await h.call('getblock', [target.hashHex(), 1])) as Json;
    assert.deepEqual(
      v1.tx,
      target.txs.map((tx) => tx.txidHex()),
    );
    assert.equal(v1.nTx, 21);
    assert.equal(v1.size, target.totalSize());
    assert.equal(v1.strippedsize, target.baseSize());
    assert.equal(v1.weight, target.weight());
    assert.notEqual(v1.size, v1.strippedsize);
  });

  it('verbosity 2 and 3 carry each transaction as it serializes, with fees', async () => {
    for (const verbosity of [2, 3]) {
      const v = (await h.call('getblock', [target.hashHex(), verbosity])) as { tx: Json[] } & Json;
      assert.equal(v.size, target.totalSize());
      assert.equal(v.weight, target.weight());
      assert.deepEqual(
        v.tx.map((tx) => tx.hex),
        target.txs.map((tx) => toHex(tx.encode())),
      );
      assert.deepEqual(
        v.tx.map((tx) => tx.hash),
        target.txs.map((tx) => tx.wtxidHex()),
      );
      assert.equal(v.tx[1]!.fee, 0.00001);
      assert.equal((v.tx[1]!.vin as Json[])[0]!.prevout !== undefined, verbosity === 3);
    }
  });

  it('summarizeRawBlock agrees with Block.decode (mainnet 300025, a witness block) and refuses bad bytes', () => {
    const mainnet = read300025Files().raw;
    for (const raw of [mainnet, target.encode(), fan.encode(), h.blocks[5]!.encode()]) {
      const block = Block.decode(raw);
      const summary = summarizeRawBlock(raw);
      assert.deepEqual(
        summary.txids,
        block.txs.map((tx) => tx.txidHex()),
      );
      assert.equal(summary.strippedSize, block.baseSize());
    }
    assert.equal(summarizeRawBlock(mainnet).txids[0], Block.decode(mainnet).txs[0]!.txidHex());
    const raw = target.encode();
    assert.throws(() => summarizeRawBlock(raw.subarray(0, raw.length - 1)), DecodeError);
    assert.throws(() => summarizeRawBlock(new Uint8Array([...raw, 0])), DecodeError);
    // The first spend's BIP144 flag (after its 4 version bytes and the 0x00 marker) set to 2.
    const coinbaseLength = target.txs[0]!.encode().length;
    const flagAt = 80 + 1 + coinbaseLength + 5;
    assert.equal(raw[flagAt], 1);
    const badFlag = raw.slice();
    badFlag[flagAt] = 2;
    assert.throws(() => summarizeRawBlock(badFlag), /Unknown transaction optional data/);
  });
});
