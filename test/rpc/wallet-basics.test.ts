import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RpcErrorCode as E } from '../../src/rpc/errors.js';
import { rejectsRpc } from './support.js';
import { WalletHarness } from './wallet-support.js';

type Json = Record<string, unknown>;

/**
 * Wallet management, addresses, balances, payments and history over a real node and the real wallet
 * engine, through `/wallet/<name>` as bitcoin-cli -rpcwallet calls them.
 */
describe('wallet RPCs: wallets, addresses, balances, sends', () => {
  let h: WalletHarness;
  let minerAddress = '';

  before(async () => {
    h = await WalletHarness.create();
  });
  after(() => h.destroy());

  it('selects the wallet as Core does (none, the only one, /wallet/<name>, several)', async () => {
    await rejectsRpc(
      h.call('getwalletinfo'),
      E.RPC_WALLET_NOT_FOUND,
      'No wallet is loaded. Load a wallet using loadwallet or create a new one with createwallet. (Note: A default wallet is no longer automatically created)',
    );
    assert.deepEqual(await h.call('createwallet', ['miner']), { name: 'miner' });
    const info = await h.call<Json>('getwalletinfo');
    assert.equal(info.walletname, 'miner');
    assert.equal(info.private_keys_enabled, true);
    assert.equal(info.descriptors, true);
    assert.equal(info.scanning, false);
    assert.equal(info.unlocked_until, undefined, 'only encrypted wallets report it');
    assert.deepEqual(Object.keys(info.lastprocessedblock as Json), ['hash', 'height']);
    minerAddress = await h.call<string>('getnewaddress');
    assert.match(minerAddress, /^bcrt1q/);
    await h.mineTo(minerAddress, 101);

    assert.deepEqual(await h.call('createwallet', ['alice']), { name: 'alice' });
    await rejectsRpc(
      h.call('getbalance'),
      E.RPC_WALLET_NOT_SPECIFIED,
      'Multiple wallets are loaded. Please select which wallet to use by requesting the RPC through the /wallet/<walletname> URI path.',
    );
    await rejectsRpc(
      h.wallet('nobody').call('getbalance'),
      E.RPC_WALLET_NOT_FOUND,
      'Requested wallet does not exist or is not loaded',
    );
    assert.deepEqual((await h.call<string[]>('listwallets')).sort(), ['alice', 'miner']);
    const dir = await h.call<{ wallets: Json[] }>('listwalletdir');
    assert.deepEqual(dir.wallets.map((w) => w.name).sort(), ['alice', 'miner']);
  });

  it('createwallet, loadwallet and unloadwallet refuse with Core codes', async () => {
    await rejectsRpc(
      h.call('loadwallet', ['alice']),
      E.RPC_WALLET_ALREADY_LOADED,
      'Wallet "alice" is already loaded.',
    );
    await rejectsRpc(h.call('loadwallet', ['ghost']), E.RPC_WALLET_NOT_FOUND);
    await rejectsRpc(
      h.call('createwallet', ['legacy', false, false, null, false, false]),
      E.RPC_WALLET_ERROR,
      'descriptors argument must be set to "true"; it is no longer possible to create a legacy wallet.',
    );
    await rejectsRpc(
      h.call('createwallet', { wallet_name: 'w', disable_private_keys: true, passphrase: 'x' }),
      E.RPC_WALLET_ERROR,
      /^Passphrase provided but private keys are disabled/,
    );
    await rejectsRpc(
      h.call('createwallet', { wallet_name: 'hw', external_signer: true }),
      E.RPC_WALLET_ERROR,
      'Compiled without external signing support (required for external signing)',
    );
    const created = await h.call<Json>('createwallet', { wallet_name: 'plain', passphrase: '' });
    assert.deepEqual(created, {
      name: 'plain',
      warnings: ['Empty string given as passphrase, wallet will not be encrypted.'],
    });
    await rejectsRpc(
      h.call('unloadwallet'),
      E.RPC_INVALID_PARAMETER,
      'Either the RPC endpoint wallet or the wallet name parameter must be provided',
    );
    await rejectsRpc(
      h.wallet('plain').call('unloadwallet', ['alice']),
      E.RPC_INVALID_PARAMETER,
      'The RPC endpoint wallet and the wallet name parameter specify different wallets',
    );
    assert.deepEqual(await h.wallet('plain').call('unloadwallet'), {});
    assert.ok(!(await h.call<string[]>('listwallets')).includes('plain'));
    assert.deepEqual(await h.call('loadwallet', ['plain']), { name: 'plain' });
    assert.deepEqual(await h.call('unloadwallet', ['plain']), {});
    await rejectsRpc(h.call('unloadwallet', ['plain']), E.RPC_WALLET_NOT_FOUND);
    // On disk but not loaded: Core's HandleWalletError reports FAILED_ALREADY_EXISTS as -36.
    await rejectsRpc(h.call('createwallet', ['plain']), E.RPC_WALLET_ALREADY_EXISTS);
  });

  it('getnewaddress, getrawchangeaddress and getaddressinfo', async () => {
    const alice = h.wallet('alice');
    const legacy = await alice.call<string>('getnewaddress', ['', 'legacy']);
    assert.match(legacy, /^[mn]/);
    const nested = await alice.call<string>('getnewaddress', ['savings', 'p2sh-segwit']);
    assert.match(nested, /^2/);
    const change = await alice.call<string>('getrawchangeaddress');
    assert.match(change, /^bcrt1q/);
    const info = await alice.call<Json>('getaddressinfo', [nested]);
    assert.equal(info.ismine, true);
    assert.equal(info.isscript, true);
    assert.equal(info.iswitness, false);
    assert.deepEqual(info.labels, ['savings']);
    assert.equal(info.ischange, false);
    assert.equal((info.embedded as Json).iswitness, true);
    assert.equal(typeof info.pubkey, 'string', 'the embedded key is reported at the top level');
    assert.match(String(info.hdkeypath), /^m\/49h\/1h\/0h\/0\/\d+$/);
    assert.equal((await alice.call<Json>('getaddressinfo', [change])).ischange, true);
    const foreign = await alice.call<Json>('getaddressinfo', [minerAddress]);
    assert.equal(foreign.ismine, false);
    assert.deepEqual(foreign.labels, []);

    await rejectsRpc(
      alice.call('getnewaddress', ['*']),
      E.RPC_WALLET_INVALID_LABEL_NAME,
      'Invalid label name',
    );
    await rejectsRpc(
      alice.call('getnewaddress', ['', 'p2pk']),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      "Unknown address type 'p2pk'",
    );
    await rejectsRpc(
      alice.call('getrawchangeaddress', ['nope']),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      "Unknown address type 'nope'",
    );
    await rejectsRpc(alice.call('getaddressinfo', ['bcrt1qnotanaddress']), E.RPC_INVALID_ADDRESS_OR_KEY);
    await rejectsRpc(alice.call('getnewaddress', [1]), E.RPC_TYPE_ERROR);

    await h.call('createwallet', { wallet_name: 'watcher', disable_private_keys: true });
    const watcher = h.wallet('watcher');
    assert.equal((await watcher.call<Json>('getwalletinfo')).private_keys_enabled, false);
    await rejectsRpc(
      watcher.call('getnewaddress'),
      E.RPC_WALLET_ERROR,
      'Error: This wallet has no available keys',
    );
    await rejectsRpc(
      watcher.call('getrawchangeaddress'),
      E.RPC_WALLET_ERROR,
      'Error: This wallet has no available keys',
    );
    await rejectsRpc(
      watcher.call('sendtoaddress', [minerAddress, 1]),
      E.RPC_WALLET_ERROR,
      'Error: Private keys are disabled for this wallet',
    );
  });

  it('balances, sends and history, with Core argument errors', async () => {
    const miner = h.wallet('miner');
    const alice = h.wallet('alice');
    const balances = await miner.call<Json>('getbalances');
    assert.deepEqual(balances.mine, { trusted: 50, untrusted_pending: 0, immature: 5000 });
    assert.equal(await miner.call('getbalance'), 50);
    assert.equal(await miner.call('getbalance', ['*', 1]), 50);
    await rejectsRpc(
      miner.call('getbalance', ['x']),
      E.RPC_METHOD_DEPRECATED,
      'dummy first argument must be excluded or set to "*".',
    );
    const aliceAddress = await alice.call<string>('getnewaddress', ['pay']);

    // Argument errors first: nothing may be sent by them.
    await rejectsRpc(
      miner.call('sendtoaddress', ['nonsense', 1]),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      'Invalid Bitcoin address: nonsense',
    );
    await rejectsRpc(miner.call('sendtoaddress', [aliceAddress, 'x']), E.RPC_TYPE_ERROR, 'Invalid amount');
    await rejectsRpc(
      miner.call('sendtoaddress', [aliceAddress, -1]),
      E.RPC_TYPE_ERROR,
      'Amount out of range',
    );
    await rejectsRpc(
      miner.call('sendtoaddress', [aliceAddress, true]),
      E.RPC_TYPE_ERROR,
      'Amount is not a number or string',
    );
    await rejectsRpc(
      miner.call('sendtoaddress', { address: aliceAddress, amount: 1, conf_target: 2, fee_rate: 3 }),
      E.RPC_INVALID_PARAMETER,
      'Cannot specify both conf_target and fee_rate. Please provide either a confirmation target in blocks for automatic fee estimation, or an explicit fee rate.',
    );
    await rejectsRpc(
      miner.call('sendtoaddress', {
        address: aliceAddress,
        amount: 1,
        estimate_mode: 'economical',
        fee_rate: 3,
      }),
      E.RPC_INVALID_PARAMETER,
      'Cannot specify both estimate_mode and fee_rate',
    );
    await rejectsRpc(
      miner.call('sendtoaddress', { address: aliceAddress, amount: 1, estimate_mode: 'fast' }),
      E.RPC_INVALID_PARAMETER,
      'Invalid estimate_mode parameter, must be one of: "unset", "economical", "conservative"',
    );
    await rejectsRpc(
      miner.call('sendtoaddress', { address: aliceAddress, amount: 1, conf_target: 0 }),
      E.RPC_INVALID_PARAMETER,
      'Invalid conf_target, must be between 1 and 1008',
    );
    await rejectsRpc(
      miner.call('sendtoaddress', [aliceAddress, 60]),
      E.RPC_WALLET_INSUFFICIENT_FUNDS,
      'Insufficient funds',
    );
    await rejectsRpc(
      miner.call('sendmany', ['x', { [aliceAddress]: 1 }]),
      E.RPC_INVALID_PARAMETER,
      'Dummy value must be set to ""',
    );
    await rejectsRpc(
      miner.call('sendmany', ['', { [aliceAddress]: 1 }, null, null, ['bcrt1qother']]),
      E.RPC_INVALID_PARAMETER,
      "Invalid parameter 'subtract fee from output', destination bcrt1qother not found in tx outputs",
    );
    assert.equal(await miner.call('getbalance'), 50, 'refused sends changed nothing');

    const txid = await miner.call<string>('sendtoaddress', {
      address: aliceAddress,
      amount: 1.5,
      comment: 'rent',
      comment_to: 'alice',
      fee_rate: 2,
    });
    assert.match(txid, /^[0-9a-f]{64}$/);
    const received = await alice.call<Json>('gettransaction', [txid]);
    assert.equal(received.amount, 1.5);
    assert.equal(received.confirmations, 0);
    assert.equal(received.fee, undefined, 'no fee for a payment that is not ours');
    assert.deepEqual(received.details, [
      {
        address: aliceAddress,
        category: 'receive',
        amount: 1.5,
        label: 'pay',
        vout: (received.details as Json[])[0]!.vout,
      },
    ]);
    const sent = await miner.call<Json>('gettransaction', [txid, null, true]);
    assert.equal(sent.comment, 'rent');
    assert.equal(sent.to, 'alice');
    assert.equal((sent.decoded as Json).txid as string, txid);
    assert.equal((sent.details as Json[])[0]!.category, 'send');
    // Core: the fee is negative, and the amount excludes it.
    assert.ok((sent.fee as number) < 0);
    assert.equal(sent.amount, -1.5);
    assert.equal((sent.details as Json[])[0]!.fee, sent.fee);
    assert.equal(await alice.call('getbalance'), 0, 'unconfirmed from another wallet is not trusted');
    assert.deepEqual((await alice.call<Json>('getbalances')).mine, {
      trusted: 0,
      untrusted_pending: 1.5,
      immature: 0,
    });
    const unspent = await alice.call<Json[]>('listunspent', [0]);
    assert.equal(unspent.length, 1);
    assert.equal(unspent[0]!.safe, false);
    assert.deepEqual(await alice.call('listunspent'), [], 'minconf 1 by default');

    await h.mineTo(minerAddress);
    assert.equal(await alice.call('getbalance'), 1.5);
    assert.equal(await alice.call('getreceivedbyaddress', [aliceAddress]), 1.5);
    assert.equal(await alice.call('getreceivedbyaddress', [aliceAddress, 2]), 0);
    await rejectsRpc(
      alice.call('getreceivedbyaddress', [minerAddress]),
      E.RPC_WALLET_ERROR,
      'Address not found in wallet',
    );
    await rejectsRpc(
      alice.call('getreceivedbyaddress', ['x']),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      'Invalid Bitcoin address',
    );
    const history = await alice.call<Json[]>('listtransactions');
    assert.equal(history.length, 1);
    assert.equal(history[0]!.confirmations, 1);
    assert.equal(typeof history[0]!.blockhash, 'string');
    assert.equal(history[0]!.trusted, undefined, 'confirmed entries carry block fields instead');
    await rejectsRpc(alice.call('listtransactions', ['*', -1]), E.RPC_INVALID_PARAMETER, 'Negative count');
    await rejectsRpc(alice.call('listtransactions', ['*', 10, -1]), E.RPC_INVALID_PARAMETER, 'Negative from');
    await rejectsRpc(
      alice.call('listtransactions', ['']),
      E.RPC_INVALID_PARAMETER,
      'Label argument must be a valid label name or "*".',
    );
    assert.deepEqual(await alice.call('listtransactions', ['pay', 10, 1]), []);
    await rejectsRpc(
      alice.call('gettransaction', ['00'.repeat(32)]),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      'Invalid or non-wallet transaction id',
    );
    await rejectsRpc(
      alice.call('gettransaction', ['zz']),
      E.RPC_INVALID_PARAMETER,
      "txid must be of length 64 (not 2, for 'zz')",
    );

    const many = await miner.call<string>('sendmany', [
      '',
      { [aliceAddress]: 0.25, [minerAddress]: 0.5 },
      null,
      'split',
      [aliceAddress],
    ]);
    const manyTx = await alice.call<Json>('gettransaction', [many]);
    assert.ok((manyTx.amount as number) < 0.25, 'the fee came out of the subtracted output');
  });

  it('listunspent, importaddress and addmultisigaddress arguments', async () => {
    const alice = h.wallet('alice');
    await rejectsRpc(
      alice.call('listunspent', [0, 10, ['nonsense']]),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      'Invalid Bitcoin address: nonsense',
    );
    await rejectsRpc(
      alice.call('listunspent', [0, 10, [minerAddress, minerAddress]]),
      E.RPC_INVALID_PARAMETER,
      `Invalid parameter, duplicated address: ${minerAddress}`,
    );
    await rejectsRpc(
      alice.call('listunspent', [0, 10, [], true, { minimumAmount: 'x' }]),
      E.RPC_TYPE_ERROR,
      'Invalid amount',
    );
    await rejectsRpc(
      alice.call('listunspent', [0, 10, [], true, { other: 1 }]),
      E.RPC_TYPE_ERROR,
      'Unexpected key other',
    );
    const [only] = await alice.call<Json[]>('listunspent', [1, 9999999, [], true, { maximumCount: 1 }]);
    assert.ok(only !== undefined);
    assert.deepEqual(await alice.call('listunspent', [1, 9999999, [minerAddress]]), []);
    await rejectsRpc(h.call('listwallets', [1]), E.RPC_MISC_ERROR);

    const watcher = h.wallet('watcher');
    assert.equal(await watcher.call('importaddress', [minerAddress, 'theirs', false]), null);
    const watched = await watcher.call<Json>('getaddressinfo', [minerAddress]);
    assert.equal(watched.iswatchonly, true);
    assert.deepEqual(watched.labels, ['theirs']);
    await rejectsRpc(watcher.call('importaddress', ['nonsense']), E.RPC_INVALID_ADDRESS_OR_KEY);
    await rejectsRpc(
      watcher.call('importaddress', [minerAddress, '*']),
      E.RPC_WALLET_INVALID_LABEL_NAME,
      'Invalid label name',
    );

    const key = (await alice.call<Json>('getaddressinfo', [await alice.call<string>('getnewaddress')]))
      .pubkey as string;
    await rejectsRpc(
      alice.call('addmultisigaddress', [1, [key], '*']),
      E.RPC_WALLET_INVALID_LABEL_NAME,
      'Invalid label name',
    );
    await rejectsRpc(
      alice.call('addmultisigaddress', [1, [key], '', 'bech32m']),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      'addmultisigaddress cannot create bech32m multisig addresses',
    );
    await rejectsRpc(alice.call('addmultisigaddress', [1, [5]]), E.RPC_TYPE_ERROR);
    await rejectsRpc(alice.call('addmultisigaddress', [2, [key]]), E.RPC_INVALID_PARAMETER);
    const legacy = await alice.call<Json>('addmultisigaddress', [1, [key]]);
    assert.match(legacy.address as string, /^2/, 'legacy (P2SH) by default');
    assert.match(legacy.descriptor as string, /^sh\(multi\(1,/);
  });
});
