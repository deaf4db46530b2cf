import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RpcErrorCode as E } from '../../src/rpc/errors.js';
import { rejectsRpc } from './support.js';
import { type WalletClient, WalletHarness } from './wallet-support.js';

type Json = Record<string, unknown>;
interface SinceBlock {
  transactions: Json[];
  removed?: Json[];
  lastblock: string;
}

/**
 * listsinceblock and the label RPCs a payment back office polls (getaddressesbylabel,
 * getreceivedbylabel, listreceivedbylabel) over the real RPC server and wallet engine, with Core's
 * result shapes, error codes and messages.
 */
describe('wallet RPCs: listsinceblock and lookups by label', () => {
  let h: WalletHarness;
  let miner: WalletClient;
  let shop: WalletClient;
  let minerAddress = '';
  const a: string[] = [];
  let b = '';

  before(async () => {
    h = await WalletHarness.create();
    await h.call('createwallet', ['miner']);
    miner = h.wallet('miner');
    minerAddress = await miner.call<string>('getnewaddress');
    await h.mineTo(minerAddress, 110);
    await h.call('createwallet', ['shop']);
    shop = h.wallet('shop');
    a.push(await shop.call<string>('getnewaddress', ['cust-A']));
    a.push(await shop.call<string>('getnewaddress', ['cust-A']));
    b = await shop.call<string>('getnewaddress', ['cust-B']);
    // An address of someone else in the shop's book: purpose "send", never counted as received.
    await shop.call('setlabel', [minerAddress, 'cust-A']);
  });
  after(() => h.destroy());

  it('getaddressesbylabel: the label addresses with their purpose, in address-book order', async () => {
    const got = await shop.call<Record<string, Json>>('getaddressesbylabel', ['cust-A']);
    assert.deepEqual(new Set(Object.keys(got)), new Set([...a, minerAddress]));
    for (const address of a) assert.deepEqual(got[address], { purpose: 'receive' });
    assert.deepEqual(got[minerAddress], { purpose: 'send' });
    const book = await shop.call<Json[]>('listreceivedbyaddress', [0, true]);
    assert.deepEqual(
      Object.keys(got),
      book.filter((row) => row.label === 'cust-A').map((row) => row.address),
    );
    assert.deepEqual(await shop.call('getaddressesbylabel', ['cust-B']), { [b]: { purpose: 'receive' } });
    await rejectsRpc(
      shop.call('getaddressesbylabel', ['nobody']),
      E.RPC_WALLET_INVALID_LABEL_NAME,
      'No addresses with label nobody',
    );
    await rejectsRpc(
      shop.call('getaddressesbylabel', ['*']),
      E.RPC_WALLET_INVALID_LABEL_NAME,
      'Invalid label name',
    );
    await rejectsRpc(shop.call('getaddressesbylabel', [5]), E.RPC_TYPE_ERROR);
    await rejectsRpc(shop.call('getaddressesbylabel', []), E.RPC_MISC_ERROR);
  });

  it('getreceivedbylabel and listreceivedbylabel total the label deposits', async () => {
    await miner.call('sendtoaddress', [a[0], 1]);
    await miner.call('sendtoaddress', [a[1], 2]);
    await miner.call('sendtoaddress', [b, 0.5]);
    assert.equal(await shop.call('getreceivedbylabel', ['cust-A']), 0);
    assert.equal(await shop.call('getreceivedbylabel', ['cust-A', 0]), 3);
    assert.deepEqual(await shop.call('listreceivedbylabel'), []);
    await h.mineTo(minerAddress);
    assert.equal(await shop.call('getreceivedbylabel', ['cust-A']), 3);
    assert.equal(await shop.call('getreceivedbylabel', ['cust-B', 1, false]), 0.5);
    assert.equal(await shop.call('getreceivedbylabel', ['cust-B', 2]), 0);

    const byLabel = await shop.call<Json[]>('listreceivedbylabel');
    assert.deepEqual(byLabel, [
      { amount: 3, confirmations: 1, label: 'cust-A' },
      { amount: 0.5, confirmations: 1, label: 'cust-B' },
    ]);
    assert.deepEqual(Object.keys(byLabel[0]!), ['amount', 'confirmations', 'label']);
    assert.deepEqual(await shop.call('listreceivedbylabel', [2]), []);

    await shop.call('setlabel', [minerAddress, 'payees']);
    const withEmpty = await shop.call<Json[]>('listreceivedbylabel', [1, true]);
    assert.deepEqual(
      withEmpty.find((row) => row.label === 'payees'),
      { amount: 0, confirmations: 0, label: 'payees' },
    );
    assert.deepEqual(
      withEmpty.map((row) => row.label),
      [...withEmpty.map((row) => row.label as string)].sort(),
    );

    await rejectsRpc(
      shop.call('getreceivedbylabel', ['payees']),
      E.RPC_WALLET_ERROR,
      'Address not found in wallet',
    );
    await rejectsRpc(
      shop.call('getreceivedbylabel', ['nobody']),
      E.RPC_WALLET_ERROR,
      'Address not found in wallet',
    );
    await rejectsRpc(
      shop.call('getreceivedbylabel', ['*']),
      E.RPC_WALLET_INVALID_LABEL_NAME,
      'Invalid label name',
    );
    await rejectsRpc(shop.call('getreceivedbylabel', ['cust-A', 'x']), E.RPC_TYPE_ERROR);
    await rejectsRpc(shop.call('listreceivedbylabel', [1, 'x']), E.RPC_TYPE_ERROR);
  });

  it('listsinceblock: poll with lastblock, unconfirmed deposits, labels, target_confirmations', async () => {
    const all = await shop.call<SinceBlock>('listsinceblock');
    assert.deepEqual(Object.keys(all), ['transactions', 'removed', 'lastblock']);
    assert.equal(all.transactions.length, 3);
    assert.deepEqual(all.removed, []);
    assert.equal(all.lastblock, await h.call('getbestblockhash'));
    // The same entries as listtransactions (one formatter).
    const listed = await shop.call<Json[]>('listtransactions');
    for (const entry of all.transactions) {
      assert.deepEqual(
        entry,
        listed.find((l) => l.txid === entry.txid && l.vout === entry.vout),
      );
    }
    assert.deepEqual(await shop.call('listsinceblock', ['']), all);

    const quiet = await shop.call<SinceBlock>('listsinceblock', [all.lastblock]);
    assert.deepEqual(quiet.transactions, []);

    const pending = await miner.call<string>('sendtoaddress', [b, 0.25]);
    const unconfirmed = await shop.call<SinceBlock>('listsinceblock', [all.lastblock]);
    assert.deepEqual(
      unconfirmed.transactions.map((e) => [e.txid, e.confirmations, e.category, e.label]),
      [[pending, 0, 'receive', 'cust-B']],
    );
    assert.equal(unconfirmed.lastblock, all.lastblock);
    await h.mineTo(minerAddress);
    const mined = await shop.call<SinceBlock>('listsinceblock', [all.lastblock]);
    assert.deepEqual(
      mined.transactions.map((e) => [e.txid, e.confirmations]),
      [[pending, 1]],
    );
    assert.equal(mined.lastblock, await h.call('getbestblockhash'));

    const labelled = await shop.call<SinceBlock>('listsinceblock', {
      label: 'cust-A',
      include_removed: false,
    });
    assert.deepEqual(Object.keys(labelled), ['transactions', 'lastblock']);
    assert.deepEqual(labelled.transactions.map((e) => e.address).sort(), [...a].sort());

    const height = await h.call<number>('getblockcount');
    const deep = await shop.call<SinceBlock>('listsinceblock', [all.lastblock, 3]);
    assert.equal(deep.lastblock, await h.call('getblockhash', [height - 2]));
    assert.deepEqual(deep.transactions, mined.transactions);
  });

  it('listsinceblock: a deposit whose block left the chain is in removed', async () => {
    const deposit = await miner.call<string>('sendtoaddress', [a[0], 0.75]);
    const [block] = await h.mineTo(minerAddress);
    const seen = await shop.call<SinceBlock>('listsinceblock', [block]);
    assert.deepEqual(seen.transactions, []);
    await h.call('invalidateblock', [block]);
    const after = await shop.call<SinceBlock>('listsinceblock', [block]);
    assert.deepEqual(
      after.removed!.map((e) => [e.txid, e.category, e.address, e.amount, e.label]),
      [[deposit, 'receive', a[0], 0.75, 'cust-A']],
    );
    // Back in the mempool, so unconfirmed again in transactions (as in Core).
    assert.deepEqual(
      after.transactions.map((e) => [e.txid, e.confirmations]),
      [[deposit, 0]],
    );
    assert.equal(after.lastblock, await h.call('getbestblockhash'));
    assert.equal(
      (await shop.call<SinceBlock>('listsinceblock', [block, 1, false, false])).removed,
      undefined,
    );
    await h.call('reconsiderblock', [block]);
    assert.deepEqual((await shop.call<SinceBlock>('listsinceblock', [block])).removed, []);
  });

  it('listsinceblock errors', async () => {
    await rejectsRpc(
      shop.call('listsinceblock', ['11'.repeat(32)]),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      'Block not found',
    );
    await rejectsRpc(
      shop.call('listsinceblock', ['zz']),
      E.RPC_INVALID_PARAMETER,
      "blockhash must be of length 64 (not 2, for 'zz')",
    );
    await rejectsRpc(
      shop.call('listsinceblock', ['zz'.repeat(32)]),
      E.RPC_INVALID_PARAMETER,
      `blockhash must be hexadecimal string (not '${'zz'.repeat(32)}')`,
    );
    const tip = await h.call<string>('getbestblockhash');
    await rejectsRpc(shop.call('listsinceblock', [tip, 0]), E.RPC_INVALID_PARAMETER, 'Invalid parameter');
    await rejectsRpc(shop.call('listsinceblock', [tip, -3]), E.RPC_INVALID_PARAMETER, 'Invalid parameter');
    await rejectsRpc(shop.call('listsinceblock', [tip, 'x']), E.RPC_TYPE_ERROR);
    await rejectsRpc(shop.call('listsinceblock', [tip, 1, false, 'x']), E.RPC_TYPE_ERROR);
    await rejectsRpc(
      shop.call('listsinceblock', { label: '*' }),
      E.RPC_WALLET_INVALID_LABEL_NAME,
      'Invalid label name',
    );
    await rejectsRpc(h.call('listsinceblock'), E.RPC_WALLET_NOT_SPECIFIED);
  });
});
