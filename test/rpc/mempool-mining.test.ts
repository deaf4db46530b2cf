import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { toHex } from '../../src/encoding/hex.js';
import { Block } from '../../src/primitives/block.js';
import { addressFromScript } from '../../src/script/address.js';
import { nullData } from '../../src/script/templates.js';
import { RpcErrorCode as E } from '../../src/rpc/errors.js';
import { Amount } from '../../src/rpc/json/amount.js';
import { scriptPubKeyJson } from '../../src/rpc/json/transaction.js';
import { writeJson } from '../../src/rpc/json/write.js';
import { RpcHarness, rejectsRpc } from './support.js';

type Json = Record<string, unknown>;

describe('mempool and raw transaction RPCs', () => {
  let h: RpcHarness;
  let nextCoin = 0;
  const coin = () => h.tc.coinbaseOutput(h.blocks[nextCoin++]!);

  before(async () => {
    h = await RpcHarness.create({ blocks: 110 });
  });
  after(() => h.destroy());

  it('testmempoolaccept reports fees, or why not', async () => {
    const tx = h.tc.spend([coin()], { fee: 2000 });
    const [ok] = (await h.callRaw('testmempoolaccept', [[toHex(tx.encode())]])) as Json[];
    assert.equal(
      writeJson(ok),
      `{"txid":"${tx.txidHex()}","wtxid":"${tx.wtxidHex()}","allowed":true,"vsize":${tx.vsize()},` +
        `"fees":{"base":0.00002000,"effective-feerate":0.000${Math.trunc((2000 * 1000) / tx.vsize())
          .toString()
          .padStart(5, '0')},"effective-includes":["${tx.wtxidHex()}"]}}`,
    );
    const [tooMuch] = (await h.call('testmempoolaccept', [[toHex(tx.encode())], 0.00001])) as Json[];
    assert.equal(tooMuch!.allowed, false);
    assert.equal(tooMuch!['reject-reason'], 'max-fee-exceeded');
    const orphan = h.tc.spend(h.tc.outputs(tx));
    const [missing] = (await h.call('testmempoolaccept', [[toHex(orphan.encode())]])) as Json[];
    assert.deepEqual(missing, {
      txid: orphan.txidHex(),
      wtxid: orphan.wtxidHex(),
      allowed: false,
      'reject-reason': 'missing-inputs',
    });
    const bad = h.tc.withBadSignature(h.tc.spend([coin()]));
    const [invalid] = (await h.call('testmempoolaccept', [[toHex(bad.encode())]])) as Json[];
    assert.equal(invalid!.allowed, false);
    assert.match(String(invalid!['reject-reason']), /^mandatory-script-verify-flag-failed/);
    assert.match(String(invalid!['reject-details']), /^mandatory-script-verify-flag-failed/);
    await rejectsRpc(
      h.call('testmempoolaccept', [[]]),
      E.RPC_INVALID_PARAMETER,
      'Array must contain between 1 and 25 transactions.',
    );
    await rejectsRpc(
      h.call('testmempoolaccept', [['zz']]),
      E.RPC_DESERIALIZATION_ERROR,
      'TX decode failed: zz Make sure the tx has at least one input.',
    );
    await rejectsRpc(
      h.call('testmempoolaccept', [[toHex(tx.encode())], 1]),
      E.RPC_INVALID_PARAMETER,
      'Fee rates larger than or equal to 1BTC/kvB are not accepted',
    );
    await rejectsRpc(
      h.call('testmempoolaccept', [[toHex(tx.encode())], 'x']),
      E.RPC_TYPE_ERROR,
      'Invalid amount',
    );
  });

  it('sendrawtransaction accepts, and refuses with bitcoind codes', async () => {
    const tx = h.tc.spend([coin()]);
    assert.equal(await h.call('sendrawtransaction', [toHex(tx.encode())]), tx.txidHex());
    // Already in the pool: the txid again, as bitcoind answers a rebroadcast.
    assert.equal(await h.call('sendrawtransaction', [toHex(tx.encode())]), tx.txidHex());
    const expensive = h.tc.spend([coin()], { fee: 10_000_000 });
    await rejectsRpc(
      h.call('sendrawtransaction', [toHex(expensive.encode())]),
      E.RPC_TRANSACTION_ERROR,
      'Fee exceeds maximum configured by user (e.g. -maxtxfee, maxfeerate)',
    );
    assert.equal(await h.call('sendrawtransaction', [toHex(expensive.encode()), 0]), expensive.txidHex());
    const orphan = h.tc.spend([
      { ...h.tc.outputs(tx)[0]!, outpoint: h.tc.outputs(h.blocks[60]!.txs[0]!)[0]!.outpoint },
    ]);
    await rejectsRpc(h.call('sendrawtransaction', [toHex(orphan.encode())]), E.RPC_VERIFY_REJECTED);
    const burn = h.tc.spend([coin()], {
      outputs: [{ value: 1000, scriptPubKey: nullData(new Uint8Array([1])) }, { value: 4_999_990_000 }],
    });
    await rejectsRpc(
      h.call('sendrawtransaction', [toHex(burn.encode())]),
      E.RPC_TRANSACTION_ERROR,
      'Unspendable output exceeds maximum configured by user (maxburnamount)',
    );
    await rejectsRpc(
      h.call('sendrawtransaction', ['00']),
      E.RPC_DESERIALIZATION_ERROR,
      'TX decode failed. Make sure the tx has at least one input.',
    );
    const confirmed = h.blocks[100]!.txs[0]!;
    await rejectsRpc(
      h.call('sendrawtransaction', [toHex(confirmed.encode())]),
      E.RPC_VERIFY_ALREADY_IN_CHAIN,
      'Transaction outputs already in utxo set',
    );
  });

  it('getmempoolinfo, getrawmempool, getmempoolentry, and mempool lookups elsewhere', async () => {
    const info = (await h.callRaw('getmempoolinfo')) as Json;
    assert.deepEqual(Object.keys(info), [
      'loaded',
      'size',
      'bytes',
      'usage',
      'total_fee',
      'maxmempool',
      'mempoolminfee',
      'minrelaytxfee',
      'incrementalrelayfee',
      'unbroadcastcount',
      'fullrbf',
    ]);
    assert.equal(writeJson(info.minrelaytxfee), '0.00001000');
    assert.equal(Number(info.size), 2);
    const txids = (await h.call('getrawmempool')) as string[];
    assert.equal(txids.length, 2);
    const verbose = (await h.call('getrawmempool', [true])) as Record<string, Json>;
    assert.deepEqual(Object.keys(verbose).sort(), [...txids].sort());
    const entry = (await h.callRaw('getmempoolentry', [txids[0]])) as Json;
    assert.deepEqual(Object.keys(entry), [
      'vsize',
      'weight',
      'time',
      'height',
      'descendantcount',
      'descendantsize',
      'ancestorcount',
      'ancestorsize',
      'wtxid',
      'fees',
      'depends',
      'spentby',
      'bip125-replaceable',
      'unbroadcast',
    ]);
    assert.deepEqual(JSON.parse(JSON.stringify(entry)), verbose[txids[0]!]);
    await rejectsRpc(
      h.call('getmempoolentry', ['ab'.repeat(32)]),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      'Transaction not in mempool',
    );
    await rejectsRpc(
      h.call('getmempoolentry', ['ab']),
      E.RPC_INVALID_PARAMETER,
      "parameter 1 must be of length 64 (not 2, for 'ab')",
    );
    await rejectsRpc(
      h.call('getrawmempool', [true, true]),
      E.RPC_INVALID_PARAMETER,
      'Verbose results cannot contain mempool sequence values.',
    );

    const pooled = h.mempool!.get(Buffer.from(txids[0]!, 'hex').reverse())!.tx;
    const raw = (await h.call('getrawtransaction', [txids[0], 1])) as Json;
    assert.equal(raw.hex, toHex(pooled.encode()));
    assert.equal(raw.blockhash, undefined);
    const out = (await h.call('gettxout', [txids[0], 0])) as Json;
    assert.equal(out.confirmations, 0);
    assert.equal(await h.call('gettxout', [txids[0], 0, false]), null);
    const spent = pooled.inputs[0]!.prevout;
    assert.equal(await h.call('gettxout', [spent.txid(), spent.index]), null);
    assert.notEqual(await h.call('gettxout', [spent.txid(), spent.index, false]), null);
  });
});

describe('mining RPCs', () => {
  let h: RpcHarness;
  let nextCoin = 0;
  const coin = () => h.tc.coinbaseOutput(h.blocks[nextCoin++]!);
  const address = () => addressFromScript(h.tc.key.p2wpkh(), h.tc.network.addressPrefixes)!;

  before(async () => {
    h = await RpcHarness.create({ blocks: 105 });
  });
  after(() => h.destroy());

  it('getmininginfo and getnetworkhashps', async () => {
    const info = (await h.call('getmininginfo')) as Json;
    assert.equal(info.blocks, 105);
    assert.equal(info.chain, 'regtest');
    assert.equal(info.bits, '207fffff');
    assert.deepEqual(info.next, {
      height: 106,
      bits: '207fffff',
      difficulty: 4.656542373906925e-10,
      target: '7fffff0000000000000000000000000000000000000000000000000000000000',
    });
    assert.equal(typeof (await h.call('getnetworkhashps')), 'number');
    await rejectsRpc(
      h.call('getnetworkhashps', [0]),
      E.RPC_INVALID_PARAMETER,
      'Invalid nblocks. Must be a positive number or -1.',
    );
    await rejectsRpc(
      h.call('getnetworkhashps', [120, 500]),
      E.RPC_INVALID_PARAMETER,
      'Block does not exist at specified height',
    );
  });

  it('getblocktemplate needs the segwit rule and lists mempool transactions', async () => {
    await rejectsRpc(
      h.call('getblocktemplate'),
      E.RPC_INVALID_PARAMETER,
      'getblocktemplate must be called with the segwit rule set (call with {"rules": ["segwit"]})',
    );
    await rejectsRpc(
      h.call('getblocktemplate', [{ mode: 'other', rules: ['segwit'] }]),
      E.RPC_INVALID_PARAMETER,
      'Invalid mode',
    );
    const tx = h.tc.spend([coin()]);
    assert.equal(await h.call('sendrawtransaction', [toHex(tx.encode())]), tx.txidHex());
    const gbt = (await h.call('getblocktemplate', [{ rules: ['segwit'] }])) as Json;
    assert.equal(gbt.height, 106);
    assert.equal(gbt.previousblockhash, h.chain.tip.hashHex());
    assert.deepEqual(
      (gbt.transactions as Json[]).map((t) => t.txid),
      [tx.txidHex()],
    );
    assert.equal(gbt.coinbasevalue, 5_000_000_000 + 1000);
    const proposal = toHex(h.tc.block({ txs: [] }).encode());
    assert.equal(await h.call('getblocktemplate', [{ mode: 'proposal', data: proposal }]), 'inconclusive');
    assert.equal(
      await h.call('getblocktemplate', [{ mode: 'proposal', data: toHex(h.blocks[3]!.encode()) }]),
      'duplicate',
    );
    await rejectsRpc(
      h.call('getblocktemplate', [{ mode: 'proposal' }]),
      E.RPC_TYPE_ERROR,
      'Missing data String key for proposal',
    );
  });

  it('submitblock answers with BIP22 strings', async () => {
    const parent = h.blocks[h.blocks.length - 1]!;
    const block = h.tc.block({ parent });
    assert.equal(await h.call('submitblock', [toHex(block.encode())]), null);
    assert.equal(await h.call('submitblock', [toHex(block.encode())]), 'duplicate');
    const side = h.tc.block({ parent });
    assert.equal(await h.call('submitblock', [toHex(side.encode())]), 'inconclusive');
    const bad = h.tc.withBadMerkleRoot(h.tc.block({ parent: block }));
    assert.equal(await h.call('submitblock', [toHex(bad.encode())]), 'bad-txnmrklroot');
    const lost = h.tc.block({ parent: h.tc.block({ parent: block }) });
    assert.equal(await h.call('submitblock', [toHex(lost.encode())]), 'prev-blk-not-found');
    await rejectsRpc(h.call('submitblock', ['00']), E.RPC_DESERIALIZATION_ERROR, 'Block decode failed');
    const empty = new Block(block.header, []);
    await rejectsRpc(
      h.call('submitblock', [toHex(empty.encode())]),
      E.RPC_DESERIALIZATION_ERROR,
      'Block does not start with a coinbase',
    );
  });

  it('generatetoaddress, generatetodescriptor and generateblock', async () => {
    const start = h.chain.height;
    const hashes = (await h.call('generatetoaddress', [2, address()])) as string[];
    assert.equal(hashes.length, 2);
    assert.equal(await h.call('getbestblockhash'), hashes[1]);
    assert.deepEqual(await h.call('generatetoaddress', [0, address()]), []);
    await rejectsRpc(
      h.call('generatetoaddress', [1, 'nonsense']),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      'Error: Invalid address',
    );
    const viaDesc = (await h.call('generatetodescriptor', [1, `addr(${address()})`])) as string[];
    assert.equal(viaDesc.length, 1);
    assert.equal(h.chain.height, start + 3);

    const pooled = h.tc.spend([coin()]);
    await h.call('sendrawtransaction', [toHex(pooled.encode())]);
    const raw = h.tc.spend([coin()]);
    const made = (await h.call('generateblock', [
      address(),
      [pooled.txidHex(), toHex(raw.encode())],
    ])) as Json;
    assert.equal(await h.call('getbestblockhash'), made.hash);
    const block = (await h.call('getblock', [made.hash])) as Json;
    assert.deepEqual((block.tx as string[]).slice(1), [pooled.txidHex(), raw.txidHex()]);
    // Undo data gives verbosity 2 the fee and verbosity 3 (getrawtransaction 2) the prevouts.
    const v2 = (await h.callRaw('getblock', [made.hash, 2])) as { tx: Json[] };
    assert.equal(writeJson(v2.tx[1]!.fee), '0.00001000');
    assert.equal(v2.tx[0]!.fee, undefined);
    assert.equal(((v2.tx[1]!.vin as Json[])[0] as Json).prevout, undefined);
    const v3 = (await h.callRaw('getblock', [made.hash, 3])) as { tx: Json[] };
    const vin = (v3.tx[2]!.vin as Json[])[0] as Json;
    assert.deepEqual(Object.keys(vin), ['txid', 'vout', 'scriptSig', 'txinwitness', 'prevout', 'sequence']);
    assert.equal(
      writeJson(vin.prevout),
      writeJson({
        generated: true,
        height: h.tc.heightOf(h.blocks[nextCoin - 1]!),
        value: new Amount(5_000_000_000),
        scriptPubKey: scriptPubKeyJson(h.tc.key.p2wpkh(), h.tc.network.addressPrefixes),
      }),
    );
    const raw2 = (await h.callRaw('getrawtransaction', [raw.txidHex(), 2])) as Json;
    assert.equal(writeJson(raw2.fee), '0.00001000');
    assert.deepEqual(writeJson((raw2.vin as Json[])[0]), writeJson(vin));
    const unsent = (await h.call('generateblock', [address(), [], false])) as Json;
    assert.equal(Block.decode(Buffer.from(String(unsent.hex), 'hex')).hashHex(), unsent.hash);
    assert.notEqual(await h.call('getbestblockhash'), unsent.hash);
    await rejectsRpc(
      h.call('generateblock', ['nope', []]),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      'Error: Invalid address or descriptor',
    );
    await rejectsRpc(
      h.call('generateblock', [address(), ['ab'.repeat(32)]]),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      `Transaction ${'ab'.repeat(32)} not in mempool.`,
    );
    await rejectsRpc(
      h.call('generateblock', [address(), ['0011']]),
      E.RPC_DESERIALIZATION_ERROR,
      'Transaction decode failed for 0011. Make sure the tx has at least one input.',
    );
    const doubleSpend = h.tc.spend(h.tc.outputs(raw));
    await rejectsRpc(
      h.call('generateblock', [address(), [toHex(doubleSpend.encode()), toHex(doubleSpend.encode())]]),
      E.RPC_VERIFY_ERROR,
      /^TestBlockValidity failed: /,
    );
  });
});
