import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { RpcErrorCode as E } from '../../src/rpc/errors.js';
import { ADDRESS_TYPES } from '../../src/wallet/keychain/wallet-scripts.js';
import { rejectsRpc } from './support.js';
import { WalletHarness } from './wallet-support.js';

type Json = Record<string, unknown>;
interface Listing {
  wallet_name: string;
  descriptors: Json[];
}

/** Receive and change chains of every HD account a new wallet gets. */
const CHAINS = 2 * ADDRESS_TYPES.length;
const BACKUP_FAILED = 'Error: Wallet backup failed!';

/**
 * listdescriptors, backupwallet, restorewallet and keypoolrefill over a real node and the real
 * wallet engine, with Core's result shapes, codes and messages.
 */
describe('wallet RPCs: listdescriptors, backupwallet, restorewallet, keypoolrefill', () => {
  let h: WalletHarness;
  let miner = '';

  before(async () => {
    h = await WalletHarness.create();
    await h.call('createwallet', ['bank']);
    miner = await h.wallet('bank').call<string>('getnewaddress');
    await h.mineTo(miner, 101);
  });
  after(() => h.destroy());

  it('listdescriptors prints Core fields: range and next/next_index for ranged, internal for active', async () => {
    const listing = await h.wallet('bank').call<Listing>('listdescriptors');
    assert.equal(listing.wallet_name, 'bank');
    assert.equal(listing.descriptors.length, CHAINS);
    const receive = listing.descriptors.find(
      (d) => String(d.desc).startsWith('wpkh(') && d.internal === false,
    )!;
    assert.deepEqual(Object.keys(receive), [
      'desc',
      'timestamp',
      'active',
      'internal',
      'range',
      'next',
      'next_index',
    ]);
    assert.equal(receive.active, true);
    assert.deepEqual(receive.range, [0, 1000]);
    assert.equal(receive.next, 1);
    assert.equal(receive.next_index, 1);
    assert.match(String(receive.desc), /^wpkh\(\[[0-9a-f]{8}\/84h\/1h\/0h\]tpub\w+\/0\/\*\)#[a-z0-9]{8}$/);
    const priv = await h.wallet('bank').call<Listing>('listdescriptors', [true]);
    assert.ok(priv.descriptors.every((d) => String(d.desc).includes('tprv')));
    const checked = await h.call<Json>('getdescriptorinfo', [
      String(priv.descriptors[0]!.desc).split('#')[0],
    ]);
    assert.equal(checked.hasprivatekeys, true);
  });

  it('listdescriptors private=true: -13 while locked, -4 on a watch-only wallet', async () => {
    await h.call('createwallet', ['vault', false, false, 'pass phrase']);
    await rejectsRpc(
      h.wallet('vault').call('listdescriptors', [true]),
      E.RPC_WALLET_UNLOCK_NEEDED,
      'Error: Please enter the wallet passphrase with walletpassphrase first.',
    );
    assert.equal((await h.wallet('vault').call<Listing>('listdescriptors')).descriptors.length, CHAINS);
    await h.call('createwallet', ['watch', true, true]);
    assert.deepEqual(await h.wallet('watch').call('listdescriptors'), {
      wallet_name: 'watch',
      descriptors: [],
    });
    await rejectsRpc(
      h.wallet('watch').call('listdescriptors', [true]),
      E.RPC_WALLET_ERROR,
      "Can't get descriptor string.",
    );
  });

  it('backupwallet writes once and refuses an existing destination with Core error', async () => {
    const file = join(h.datadir, 'bank.bak');
    assert.equal(await h.wallet('bank').call('backupwallet', [file]), null);
    assert.equal(existsSync(file), true);
    await rejectsRpc(h.wallet('bank').call('backupwallet', [file]), E.RPC_WALLET_ERROR, BACKUP_FAILED);
    await rejectsRpc(h.wallet('bank').call('backupwallet', []), E.RPC_MISC_ERROR);
  });

  it('restorewallet loads the copy with the same balance; refuses a taken name, a missing or bad file', async () => {
    const file = join(h.datadir, 'bank.bak');
    assert.deepEqual(await h.call('restorewallet', ['bank2', file]), { name: 'bank2' });
    assert.equal(await h.wallet('bank2').call('getbalance'), await h.wallet('bank').call('getbalance'));
    assert.equal(await h.wallet('bank2').call('getnewaddress'), await h.wallet('bank').call('getnewaddress'));
    await rejectsRpc(
      h.call('restorewallet', ['bank2', file]),
      E.RPC_WALLET_ALREADY_EXISTS,
      /^Failed to create database path '.*bank2'\. Database already exists\.$/,
    );
    await rejectsRpc(
      h.call('restorewallet', ['other', join(h.datadir, 'none.bak')]),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      'Backup file does not exist',
    );
    const junk = join(h.datadir, 'junk.bak');
    writeFileSync(junk, 'not a backup at all, just some text long enough to be read');
    await rejectsRpc(h.call('restorewallet', ['other', junk]), E.RPC_WALLET_ERROR);
    assert.deepEqual(await h.call('listwallets'), ['bank', 'bank2', 'vault', 'watch']);
  });

  it('keypoolrefill grows the keypool without unlocking; refuses a negative size', async () => {
    const before = await h.wallet('vault').call<Json>('getwalletinfo');
    assert.equal(before.unlocked_until, 0);
    assert.equal(await h.wallet('vault').call('keypoolrefill', [1500]), null);
    const after = await h.wallet('vault').call<Json>('getwalletinfo');
    assert.equal(after.keypoolsize, ADDRESS_TYPES.length * 1500);
    assert.equal(after.keypoolsize_hd_internal, ADDRESS_TYPES.length * 1500);
    assert.equal(await h.wallet('vault').call('keypoolrefill'), null);
    await rejectsRpc(
      h.wallet('vault').call('keypoolrefill', [-1]),
      E.RPC_INVALID_PARAMETER,
      'Invalid parameter, expected valid size.',
    );
    await rejectsRpc(
      h.wallet('watch').call('keypoolrefill', [1]),
      E.RPC_WALLET_ERROR,
      'Error refreshing keypool.',
    );
  });
});
