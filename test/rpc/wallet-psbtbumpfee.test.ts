import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RpcErrorCode as E } from '../../src/rpc/errors.js';
import { rejectsRpc } from './support.js';
import { WalletHarness } from './wallet-support.js';

type Json = Record<string, unknown>;

/**
 * psbtbumpfee, and bumpfee/psbtbumpfee's `outputs` and `original_change_index` options, over a
 * real RPC server and wallet engine: Core's result shapes, parameter checks and error codes
 * (wallet/rpc/spend.cpp bumpfee_helper, test/functional/wallet_bumpfee.py).
 */
describe('wallet RPCs: psbtbumpfee, bumpfee outputs and original_change_index', () => {
  let h: WalletHarness;
  let minerAddress = '';
  let payee = '';

  before(async () => {
    h = await WalletHarness.create();
    await h.call('createwallet', ['miner']);
    minerAddress = await h.wallet('miner').call<string>('getnewaddress', ['mining']);
    await h.mineTo(minerAddress, 110);
    await h.call('createwallet', ['payee']);
    payee = await h.wallet('payee').call<string>('getnewaddress');
  });
  after(() => h.destroy());

  it('psbtbumpfee returns a PSBT that walletprocesspsbt signs and sendrawtransaction relays', async () => {
    const miner = h.wallet('miner');
    const txid = await miner.call<string>('sendtoaddress', { address: payee, amount: 1, fee_rate: 2 });
    const bumped = await miner.call<Json>('psbtbumpfee', [txid, { fee_rate: 12 }]);
    assert.deepEqual(Object.keys(bumped), ['psbt', 'origfee', 'fee', 'errors']);
    assert.deepEqual(bumped.errors, []);
    assert.equal(bumped.origfee, -(await miner.call<Json>('gettransaction', [txid])).fee!);
    assert.ok((bumped.fee as number) > (bumped.origfee as number));
    assert.ok((await h.call<string[]>('getrawmempool')).includes(txid), 'nothing submitted');
    const decoded = await h.call<Json>('decodepsbt', [bumped.psbt]);
    for (const input of decoded.inputs as Json[]) {
      assert.ok(input.witness_utxo !== undefined || input.non_witness_utxo !== undefined);
      assert.equal(input.partial_signatures, undefined);
    }
    const signed = await miner.call<Json>('walletprocesspsbt', [bumped.psbt]);
    assert.equal(signed.complete, true);
    const replacement = await h.call<string>('sendrawtransaction', [signed.hex]);
    const pool = await h.call<string[]>('getrawmempool');
    assert.ok(pool.includes(replacement));
    assert.ok(!pool.includes(txid), 'the original was evicted');
    await h.mineTo(minerAddress);
    assert.equal((await miner.call<Json>('gettransaction', [replacement])).confirmations, 1);
  });

  it('checks the options as Core does', async () => {
    const miner = h.wallet('miner');
    const txid = await miner.call<string>('sendtoaddress', { address: payee, amount: 0.5, fee_rate: 2 });
    for (const method of ['bumpfee', 'psbtbumpfee']) {
      const call = (options: Json) => miner.call(method, [txid, options]);
      await rejectsRpc(
        call({ outputs: [] }),
        E.RPC_INVALID_PARAMETER,
        'Invalid parameter, output argument cannot be an empty array',
      );
      await rejectsRpc(
        call({ outputs: [{ [payee]: 0.1 }, { [payee]: 0.2 }] }),
        E.RPC_INVALID_PARAMETER,
        `Invalid parameter, duplicated address: ${payee}`,
      );
      await rejectsRpc(
        call({ outputs: [{ nope: 0.1 }] }),
        E.RPC_INVALID_ADDRESS_OR_KEY,
        'Invalid Bitcoin address: nope',
      );
      await rejectsRpc(call({ original_change_index: -1 }), E.RPC_MISC_ERROR, 'JSON integer out of range');
      await rejectsRpc(
        call({ original_change_index: 'x' }),
        E.RPC_TYPE_ERROR,
        'JSON value of type string for field original_change_index is not of expected type number',
      );
      await rejectsRpc(
        call({ original_change_index: 2 }),
        E.RPC_INVALID_PARAMETER,
        'Change position is out of range',
      );
      await rejectsRpc(
        call({ original_change_index: 2, outputs: [{ [payee]: 0.1 }] }),
        E.RPC_INVALID_PARAMETER,
        "The options 'outputs' and 'original_change_index' are incompatible. You can only either specify a new set of outputs, or designate a change output to be recycled.",
      );
      await rejectsRpc(call({ psbt_version: 2 }), E.RPC_TYPE_ERROR, 'Unexpected key psbt_version');
    }
    // Refused, nothing changed: the payment is still the one in the mempool.
    assert.ok((await h.call<string[]>('getrawmempool')).includes(txid));
    await h.mineTo(minerAddress);
  });

  it('bumpfee outputs pays new recipients; original_change_index keeps the named change', async () => {
    const miner = h.wallet('miner');
    const txid = await miner.call<string>('sendtoaddress', { address: payee, amount: 0.75, fee_rate: 2 });
    const other = await h.wallet('payee').call<string>('getnewaddress');
    const bumped = await miner.call<Json>('bumpfee', [txid, { fee_rate: 10, outputs: { [other]: 0.25 } }]);
    const tx = await h.call<Json>('getrawtransaction', [bumped.txid, true]);
    const addresses = (tx.vout as Json[]).map((o) => (o.scriptPubKey as Json).address);
    assert.ok(addresses.includes(other));
    assert.ok(!addresses.includes(payee), 'the original recipient is replaced');
    const details = (await miner.call<Json>('gettransaction', [bumped.txid])).details as Json[];
    assert.deepEqual(
      details.map((d) => [d.address, d.amount]),
      [[other, -0.25]],
    );

    // Name the change of the replacement: it is kept and pays the next bump's fee.
    const vout = tx.vout as Json[];
    const changeIndex = vout.findIndex((o) => (o.scriptPubKey as Json).address !== other);
    const changeAddress = (vout[changeIndex]!.scriptPubKey as Json).address;
    const again = await miner.call<Json>('bumpfee', [
      bumped.txid,
      { fee_rate: 20, original_change_index: changeIndex },
    ]);
    const next = await h.call<Json>('getrawtransaction', [again.txid, true]);
    const change = (next.vout as Json[]).find((o) => (o.scriptPubKey as Json).address === changeAddress)!;
    const before = vout[changeIndex]!.value as number;
    assert.equal(
      Math.round((before - (change.value as number)) * 1e8),
      Math.round(((again.fee as number) - (again.origfee as number)) * 1e8),
    );
    // A data output among the new outputs, as createrawtransaction takes it.
    const third = await miner.call<Json>('psbtbumpfee', [
      again.txid,
      { fee_rate: 30, outputs: [{ [other]: 0.2 }, { data: 'cafe' }] },
    ]);
    const decoded = await h.call<Json>('decodepsbt', [third.psbt]);
    const outs = (decoded.tx as Json).vout as Json[];
    assert.ok(outs.some((o) => (o.scriptPubKey as Json).hex === '6a02cafe' && o.value === 0));
    assert.ok(outs.some((o) => (o.scriptPubKey as Json).address === other && o.value === 0.2));
    await h.mineTo(minerAddress);
  });

  it('a wallet without private keys: bumpfee points to psbtbumpfee', async () => {
    await h.call('createwallet', { wallet_name: 'watch', disable_private_keys: true, blank: true });
    const watch = h.wallet('watch');
    // Core refuses before it reads the arguments.
    await rejectsRpc(
      watch.call('bumpfee', ['zz']),
      E.RPC_WALLET_ERROR,
      'bumpfee is not available with wallets that have private keys disabled. Use psbtbumpfee instead.',
    );
    await rejectsRpc(
      watch.call('psbtbumpfee', ['11'.repeat(32)]),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      'Invalid or non-wallet transaction id',
    );
  });
});
