import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RpcErrorCode as E } from '../../src/rpc/errors.js';
import { rejectsRpc } from './support.js';
import { WalletHarness } from './wallet-support.js';

type Json = Record<string, unknown>;

/**
 * bumpfee, abandontransaction, lockunspent/listlockunspent, setlabel/listlabels and
 * listreceivedbyaddress over a real node and the real wallet engine, with Core's result shapes
 * and error codes.
 */
describe('wallet RPCs: bumpfee, abandontransaction, coin locks, labels', () => {
  let h: WalletHarness;
  let minerAddress = '';

  before(async () => {
    h = await WalletHarness.create();
    await h.call('createwallet', ['miner']);
    minerAddress = await h.wallet('miner').call<string>('getnewaddress', ['mining']);
    await h.mineTo(minerAddress, 110);
    await h.call('createwallet', ['payee']);
  });
  after(() => h.destroy());

  it('bumpfee replaces a payment with a higher fee; gettransaction shows both', async () => {
    const miner = h.wallet('miner');
    const to = await h.wallet('payee').call<string>('getnewaddress');
    const txid = await miner.call<string>('sendtoaddress', { address: to, amount: 1.5, fee_rate: 2 });
    const bumped = await miner.call<Json>('bumpfee', [txid, { fee_rate: 12 }]);
    assert.deepEqual(Object.keys(bumped), ['txid', 'origfee', 'fee', 'errors']);
    assert.deepEqual(bumped.errors, []);
    assert.ok((bumped.fee as number) > (bumped.origfee as number));
    const original = await miner.call<Json>('gettransaction', [txid]);
    assert.equal(-(original.fee as number), bumped.origfee);
    assert.equal(original.replaced_by_txid, bumped.txid);
    assert.equal((await miner.call<Json>('gettransaction', [bumped.txid])).replaces_txid, txid);
    const pool = await h.call<string[]>('getrawmempool');
    assert.ok(pool.includes(bumped.txid as string));
    assert.ok(!pool.includes(txid));
    await rejectsRpc(
      miner.call('bumpfee', [txid]),
      E.RPC_WALLET_ERROR,
      `Cannot bump transaction ${txid} which was already bumped by transaction ${bumped.txid}`,
    );
    await rejectsRpc(
      miner.call('bumpfee', ['00'.repeat(32)]),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      'Invalid or non-wallet transaction id',
    );
    await rejectsRpc(
      miner.call('bumpfee', ['zz']),
      E.RPC_INVALID_PARAMETER,
      "txid must be of length 64 (not 2, for 'zz')",
    );
    await rejectsRpc(
      miner.call('bumpfee', [bumped.txid, { outputs: [] }]),
      E.RPC_INVALID_PARAMETER,
      'Invalid parameter, output argument cannot be an empty array',
    );
    await rejectsRpc(
      miner.call('bumpfee', [bumped.txid, { fee_rate: 1, conf_target: 2 }]),
      E.RPC_INVALID_PARAMETER,
      'Cannot specify both conf_target and fee_rate. Please provide either a confirmation target in blocks for automatic fee estimation, or an explicit fee rate.',
    );
    await rejectsRpc(
      miner.call('bumpfee', [bumped.txid, { fee_rate: 1 }]),
      E.RPC_INVALID_PARAMETER,
      /^Insufficient total fee /,
    );
    await h.mineTo(minerAddress);
    await rejectsRpc(
      miner.call('bumpfee', [bumped.txid]),
      E.RPC_WALLET_ERROR,
      'Transaction has been mined, or is conflicted with a mined transaction',
    );
    assert.equal(await h.wallet('payee').call('getbalance'), 1.5);
  });

  it('abandontransaction refuses transactions in the mempool or unknown', async () => {
    const miner = h.wallet('miner');
    const txid = await miner.call<string>('sendtoaddress', [minerAddress, 0.1]);
    await rejectsRpc(
      miner.call('abandontransaction', [txid]),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      'Transaction not eligible for abandonment',
    );
    await rejectsRpc(
      miner.call('abandontransaction', ['11'.repeat(32)]),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      'Invalid or non-wallet transaction id',
    );
    await h.mineTo(minerAddress);
  });

  it('lockunspent and listlockunspent', async () => {
    const miner = h.wallet('miner');
    const [coin] = await miner.call<Json[]>('listunspent');
    const ref = { txid: coin!.txid, vout: coin!.vout };
    assert.equal(await miner.call('lockunspent', [false, [ref]]), true);
    assert.deepEqual(await miner.call('listlockunspent'), [ref]);
    await rejectsRpc(
      miner.call('lockunspent', [false, [ref]]),
      E.RPC_INVALID_PARAMETER,
      'Invalid parameter, output already locked',
    );
    await rejectsRpc(
      miner.call('lockunspent', [false, [{ txid: ref.txid, vout: -1 }]]),
      E.RPC_INVALID_PARAMETER,
      'Invalid parameter, vout cannot be negative',
    );
    await rejectsRpc(
      miner.call('lockunspent', [false, [{ txid: ref.txid }]]),
      E.RPC_TYPE_ERROR,
      'Missing vout',
    );
    await rejectsRpc(
      miner.call('lockunspent', [false, [{ txid: 1, vout: 0 }]]),
      E.RPC_TYPE_ERROR,
      'JSON value of type number for field txid is not of expected type string',
    );
    assert.equal(await miner.call('lockunspent', [true]), true);
    assert.deepEqual(await miner.call('listlockunspent'), []);
    await rejectsRpc(
      miner.call('lockunspent', [true, [ref]]),
      E.RPC_INVALID_PARAMETER,
      'Invalid parameter, expected locked output',
    );
  });

  it('setlabel, listlabels, listreceivedbyaddress', async () => {
    const payee = h.wallet('payee');
    const fresh = await payee.call<string>('getnewaddress', ['fresh']);
    assert.equal(await payee.call('setlabel', [fresh, 'renamed']), null);
    assert.equal(await payee.call('setlabel', [minerAddress, 'the miner']), null);
    await rejectsRpc(
      payee.call('setlabel', ['nope', 'x']),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      'Invalid Bitcoin address',
    );
    await rejectsRpc(
      payee.call('setlabel', [fresh, '*']),
      E.RPC_WALLET_INVALID_LABEL_NAME,
      'Invalid label name',
    );
    assert.deepEqual(await payee.call('listlabels'), ['', 'renamed', 'the miner']);
    assert.deepEqual(await payee.call('listlabels', ['send']), ['the miner']);
    assert.deepEqual(await payee.call('listlabels', ['receive']), ['', 'renamed']);
    await rejectsRpc(
      payee.call('listlabels', ['bogus']),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      "Invalid 'purpose' argument, must be a known purpose string, typically 'send', or 'receive'.",
    );
    const received = await payee.call<Json[]>('listreceivedbyaddress');
    assert.equal(received.length, 1);
    assert.deepEqual(Object.keys(received[0]!), ['address', 'amount', 'confirmations', 'label', 'txids']);
    assert.equal(received[0]!.amount, 1.5);
    assert.equal((received[0]!.txids as string[]).length, 1);
    const all = await payee.call<Json[]>('listreceivedbyaddress', [0, true]);
    assert.ok(all.some((e) => e.address === fresh && e.amount === 0 && e.label === 'renamed'));
    assert.ok(all.some((e) => e.address === minerAddress && e.label === 'the miner'));
    const one = await payee.call<Json[]>('listreceivedbyaddress', {
      minconf: 0,
      include_empty: true,
      address_filter: fresh,
    });
    assert.deepEqual(
      one.map((e) => e.address),
      [fresh],
    );
    await rejectsRpc(
      payee.call('listreceivedbyaddress', { address_filter: 'nope' }),
      E.RPC_WALLET_ERROR,
      'address_filter parameter was invalid',
    );
  });
});
