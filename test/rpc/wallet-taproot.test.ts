import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RpcErrorCode as E } from '../../src/rpc/errors.js';
import { metaKey } from '../../src/wallet/layout.js';
import type { WalletMetaRecord } from '../../src/wallet/store/records.js';
import { decodeJson, put, WalletDB } from '../../src/wallet/store/wallet-db.js';
import { rejectsRpc } from './support.js';
import { WalletHarness } from './wallet-support.js';

type Json = Record<string, unknown>;

/**
 * Taproot (BIP86) over RPC as Core's descriptor wallets offer it: bech32m addresses, getaddressinfo,
 * a key-path spend through sendtoaddress and through walletcreatefundedpsbt + walletprocesspsbt,
 * and Core's error for a wallet that has no bech32m chain (created before BIP86 accounts).
 */
describe('wallet RPCs: taproot (bech32m) addresses and key-path spends', () => {
  let h: WalletHarness;
  let minerAddress = '';

  before(async () => {
    h = await WalletHarness.create();
    await h.call('createwallet', ['miner']);
    minerAddress = await h.wallet('miner').call<string>('getnewaddress');
    await h.mineTo(minerAddress, 101);
  });
  after(() => h.destroy());

  it('getnewaddress and getrawchangeaddress bech32m; getaddressinfo describes the BIP86 key', async () => {
    await h.call('createwallet', ['tr']);
    const tr = h.wallet('tr');
    const address = await tr.call<string>('getnewaddress', ['', 'bech32m']);
    assert.match(address, /^bcrt1p[02-9ac-hj-np-z]{58}$/);
    assert.match(await tr.call<string>('getrawchangeaddress', ['bech32m']), /^bcrt1p/);
    const info = await tr.call<Json>('getaddressinfo', [address]);
    assert.equal(info.ismine, true);
    assert.equal(info.solvable, true);
    assert.equal(info.iswitness, true);
    assert.equal(info.witness_version, 1);
    assert.equal(info.isscript, true);
    assert.equal(info.pubkey, undefined);
    assert.equal(info.hdkeypath, 'm/86h/1h/0h/0/0');
    const fp = info.hdmasterfingerprint as string;
    assert.match(
      info.desc as string,
      new RegExp(`^tr\\(\\[${fp}/86h/1h/0h/0/0\\][0-9a-f]{64}\\)#[a-z0-9]{8}$`),
    );
    const checked = await h.call<Json>('getdescriptorinfo', [(info.desc as string).split('#')[0]]);
    assert.equal(checked.checksum, (info.desc as string).split('#')[1]);
    await rejectsRpc(
      tr.call('getnewaddress', ['', 'bech33']),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      "Unknown address type 'bech33'",
    );
  });

  it('receives to bech32m and spends by key path with sendtoaddress (mempool, then a block)', async () => {
    const tr = h.wallet('tr');
    const address = await tr.call<string>('getnewaddress', ['', 'bech32m']);
    await h.wallet('miner').call('sendtoaddress', [address, 2]);
    await h.mineTo(minerAddress);
    assert.equal(await tr.call('getbalance'), 2);
    const txid = await tr.call<string>('sendtoaddress', [minerAddress, 0.5]);
    const entry = await h.call<Json>('getmempoolentry', [txid]);
    assert.ok(entry !== null);
    const raw = await h.call<Json>('getrawtransaction', [txid, true]);
    const vin = raw.vin as { txinwitness: string[] }[];
    assert.equal(vin[0]!.txinwitness.length, 1);
    assert.equal(vin[0]!.txinwitness[0]!.length, 128, 'a 64-byte SIGHASH_DEFAULT signature');
    await h.mineTo(minerAddress);
    assert.equal((await tr.call<Json>('gettransaction', [txid])).confirmations, 1);
  });

  it('walletprocesspsbt signs a taproot input (taproot_key_path_sig) and finalizepsbt completes it', async () => {
    const tr = h.wallet('tr');
    // The last send paid a bech32 address, so its change is bech32 (Core's TransactionChangeType):
    // fund a fresh taproot coin and spend exactly that one.
    const address = await tr.call<string>('getnewaddress', ['', 'bech32m']);
    await h.wallet('miner').call('sendtoaddress', [address, 1]);
    await h.mineTo(minerAddress);
    const coins = await tr.call<Json[]>('listunspent');
    const coin = coins.find((c) => c.address === address)!;
    assert.match(coin.desc as string, /^tr\(/);
    const funded = await tr.call<Json>('walletcreatefundedpsbt', [
      [{ txid: coin.txid, vout: coin.vout }],
      [{ [minerAddress]: 0.25 }],
      0,
      { fee_rate: 2, add_inputs: false },
    ]);
    const before = await h.call<Json>('decodepsbt', [funded.psbt]);
    const input = (before.inputs as Json[])[0]!;
    assert.match(input.taproot_internal_key as string, /^[0-9a-f]{64}$/);
    assert.equal((input.taproot_bip32_derivs as Json[]).length, 1);
    const signed = await tr.call<Json>('walletprocesspsbt', [funded.psbt, true, 'DEFAULT', true, false]);
    assert.equal(signed.complete, false);
    const decoded = await h.call<Json>('decodepsbt', [signed.psbt]);
    assert.match((decoded.inputs as Json[])[0]!.taproot_key_path_sig as string, /^[0-9a-f]{128}$/);
    const final = await h.call<Json>('finalizepsbt', [signed.psbt]);
    assert.equal(final.complete, true);
    const txid = await h.call<string>('sendrawtransaction', [final.hex]);
    assert.ok((await h.call<Json>('getmempoolentry', [txid])) !== null);
    await h.mineTo(minerAddress);
  });

  it('a wallet without a BIP86 account (created before them) loads; bech32m: "Error: No bech32m addresses available."', async () => {
    await h.call('createwallet', ['old']);
    await h.call('unloadwallet', ['old']);
    const db = await WalletDB.open(join(h.datadir, 'regtest', 'wallets', 'old', 'db'));
    const meta = decodeJson<WalletMetaRecord>((await db.get(metaKey()))!);
    const { bech32m: _dropped, ...accounts } = meta.accounts!;
    await db.write([put(metaKey(), { ...meta, accounts })], true);
    await db.close();
    await h.call('loadwallet', ['old']);
    const old = h.wallet('old');
    const message = 'Error: No bech32m addresses available.';
    await rejectsRpc(old.call('getnewaddress', ['', 'bech32m']), E.RPC_WALLET_KEYPOOL_RAN_OUT, message);
    await rejectsRpc(old.call('getrawchangeaddress', ['bech32m']), E.RPC_WALLET_KEYPOOL_RAN_OUT, message);
    assert.match(await old.call<string>('getnewaddress', ['', 'bech32']), /^bcrt1q/);
  });
});
