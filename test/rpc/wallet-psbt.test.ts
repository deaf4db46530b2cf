import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { toHex } from '../../src/encoding/hex.js';
import { RpcErrorCode as E } from '../../src/rpc/errors.js';
import { Psbt } from '../../src/wallet/psbt/psbt.js';
import { rejectsRpc } from './support.js';
import { WalletHarness } from './wallet-support.js';

type Json = Record<string, unknown>;

/**
 * Encryption, PSBTs, raw signing, descriptor imports and rescans over a real node and the real wallet
 * engine, ending with a 2-of-3 multisig spend between wallets of one node (the two-node version is
 * wallet-multisig-acceptance.test.ts).
 */
describe('wallet RPCs: encryption, PSBTs, imports, multisig', () => {
  let h: WalletHarness;
  let minerAddress = '';
  const pass = 'correct horse battery staple';

  before(async () => {
    h = await WalletHarness.create();
    await h.call('createwallet', ['miner']);
    minerAddress = await h.wallet('miner').call<string>('getnewaddress');
    await h.mineTo(minerAddress, 110);
  });
  after(() => h.destroy());

  it('encryptwallet, walletpassphrase, walletlock, walletpassphrasechange', async () => {
    await h.call('createwallet', { wallet_name: 'vault', passphrase: pass });
    const vault = h.wallet('vault');
    assert.equal((await vault.call<Json>('getwalletinfo')).unlocked_until, 0);
    const address = await vault.call<string>('getnewaddress');
    await h.wallet('miner').call('sendtoaddress', [address, 3]);
    await h.mineTo(minerAddress);
    await rejectsRpc(
      vault.call('sendtoaddress', [minerAddress, 1]),
      E.RPC_WALLET_UNLOCK_NEEDED,
      'Error: Please enter the wallet passphrase with walletpassphrase first.',
    );
    await rejectsRpc(
      vault.call('walletpassphrase', ['', 60]),
      E.RPC_INVALID_PARAMETER,
      'passphrase cannot be empty',
    );
    await rejectsRpc(
      vault.call('walletpassphrase', [pass, -1]),
      E.RPC_INVALID_PARAMETER,
      'Timeout cannot be negative.',
    );
    await rejectsRpc(
      vault.call('walletpassphrase', ['wrong', 60]),
      E.RPC_WALLET_PASSPHRASE_INCORRECT,
      'Error: The wallet passphrase entered was incorrect.',
    );
    await rejectsRpc(vault.call('walletpassphrase', [pass, 'x']), E.RPC_TYPE_ERROR);
    assert.equal(await vault.call('walletpassphrase', [pass, 600]), null);
    assert.ok(((await vault.call<Json>('getwalletinfo')).unlocked_until as number) > 0);
    assert.match(await vault.call<string>('sendtoaddress', [minerAddress, 1]), /^[0-9a-f]{64}$/);
    assert.equal(await vault.call('walletlock'), null);
    await rejectsRpc(vault.call('sendtoaddress', [minerAddress, 1]), E.RPC_WALLET_UNLOCK_NEEDED);
    await rejectsRpc(
      vault.call('walletpassphrasechange', ['wrong', 'new']),
      E.RPC_WALLET_PASSPHRASE_INCORRECT,
    );
    await rejectsRpc(
      vault.call('walletpassphrasechange', [pass, '']),
      E.RPC_INVALID_PARAMETER,
      'passphrase cannot be empty',
    );
    assert.equal(await vault.call('walletpassphrasechange', [pass, 'new pass']), null);
    await rejectsRpc(vault.call('walletpassphrase', [pass, 60]), E.RPC_WALLET_PASSPHRASE_INCORRECT);
    assert.equal(await vault.call('walletpassphrase', ['new pass', 60]), null);
    await rejectsRpc(
      vault.call('encryptwallet', ['again']),
      E.RPC_WALLET_WRONG_ENC_STATE,
      'Error: running with an encrypted wallet, but encryptwallet was called.',
    );

    const miner = h.wallet('miner');
    for (const method of ['walletlock', 'walletpassphrase', 'walletpassphrasechange'] as const) {
      const params = method === 'walletlock' ? [] : method === 'walletpassphrase' ? ['p', 1] : ['a', 'b'];
      await rejectsRpc(
        miner.call(method, params),
        E.RPC_WALLET_WRONG_ENC_STATE,
        `Error: running with an unencrypted wallet, but ${method} was called.`,
      );
    }
    await h.call('createwallet', ['later']);
    await rejectsRpc(
      h.wallet('later').call('encryptwallet', ['']),
      E.RPC_INVALID_PARAMETER,
      'passphrase cannot be empty',
    );
    assert.match(await h.wallet('later').call<string>('encryptwallet', ['p']), /^wallet encrypted;/);
    await h.call('createwallet', { wallet_name: 'watch', disable_private_keys: true });
    await rejectsRpc(
      h.wallet('watch').call('encryptwallet', ['p']),
      E.RPC_WALLET_ENCRYPTION_FAILED,
      'Error: wallet does not contain private keys, nothing to encrypt.',
    );
  });

  it('walletcreatefundedpsbt, walletprocesspsbt and signrawtransactionwithwallet', async () => {
    const miner = h.wallet('miner');
    await h.call('createwallet', ['bob']);
    const bobAddress = await h.wallet('bob').call<string>('getnewaddress');
    const funded = await miner.call<Json>('walletcreatefundedpsbt', [
      [],
      [{ [bobAddress]: 2 }],
      0,
      { fee_rate: 5 },
    ]);
    assert.equal(typeof funded.psbt, 'string');
    assert.ok((funded.fee as number) > 0);
    const decoded = await h.call<Json>('decodepsbt', [funded.psbt]);
    const outputs = (decoded.tx as Json).vout as Json[];
    assert.equal(outputs.length, 2);
    assert.ok([0, 1].includes(funded.changepos as number));
    assert.equal(decoded.fee, funded.fee);
    const unsigned = await miner.call<Json>('walletprocesspsbt', [funded.psbt, false]);
    assert.equal(unsigned.complete, false);
    const signed = await miner.call<Json>('walletprocesspsbt', [funded.psbt]);
    assert.equal(signed.complete, true);
    assert.equal(typeof signed.hex, 'string');
    const txid = await h.call<string>('sendrawtransaction', [signed.hex]);
    await h.mineTo(minerAddress);
    assert.equal((await h.wallet('bob').call<Json>('gettransaction', [txid])).confirmations, 1);

    await rejectsRpc(
      miner.call('walletcreatefundedpsbt', [[], { [bobAddress]: 1 }, 0, { foo: 1 }]),
      E.RPC_TYPE_ERROR,
      'Unexpected key foo',
    );
    await rejectsRpc(
      miner.call('walletcreatefundedpsbt', [[], { [bobAddress]: 1 }, 0, { feeRate: 0.0001, fee_rate: 1 }]),
      E.RPC_INVALID_PARAMETER,
      'Cannot specify both fee_rate (sat/vB) and feeRate (BTC/kvB)',
    );
    await rejectsRpc(
      miner.call('walletcreatefundedpsbt', [[], { [bobAddress]: 1 }, 0, { changePosition: 5 }]),
      E.RPC_INVALID_PARAMETER,
      'changePosition out of bounds',
    );
    await rejectsRpc(
      miner.call('walletcreatefundedpsbt', [[], { [bobAddress]: 1 }, 0, { changeAddress: 'x' }]),
      E.RPC_INVALID_ADDRESS_OR_KEY,
      'Change address must be a valid bitcoin address',
    );
    await rejectsRpc(
      miner.call('walletcreatefundedpsbt', [[], { [bobAddress]: 1 }, 0, { replaceable: 'yes' }]),
      E.RPC_TYPE_ERROR,
      'JSON value of type string for field replaceable is not of expected type bool',
    );
    await rejectsRpc(
      miner.call('walletcreatefundedpsbt', [[], { [bobAddress]: 100_000 }]),
      E.RPC_WALLET_ERROR,
      'Insufficient funds',
    );
    await rejectsRpc(
      miner.call('walletprocesspsbt', ['@@']),
      E.RPC_DESERIALIZATION_ERROR,
      'TX decode failed invalid base64',
    );
    await rejectsRpc(
      miner.call('walletprocesspsbt', [funded.psbt, true, 'EVERYTHING']),
      E.RPC_INVALID_PARAMETER,
      "'EVERYTHING' is not a valid sighash parameter.",
    );

    // A raw transaction spending one of the miner's coins, signed by signrawtransactionwithwallet.
    const [coin] = await miner.call<Json[]>('listunspent', [1, 9999999, [], true, { minimumAmount: 1 }]);
    assert.ok(coin !== undefined);
    const template = await h.call<string>('createpsbt', [
      [{ txid: coin.txid, vout: coin.vout }],
      [{ [bobAddress]: (coin.amount as number) - 0.001 }],
    ]);
    const rawHex = toHex(Psbt.fromBase64(template).unsignedTx.encode(false));
    const rawSigned = await miner.call<Json>('signrawtransactionwithwallet', [rawHex]);
    assert.equal(rawSigned.complete, true);
    assert.equal(rawSigned.errors, undefined);
    assert.match(await h.call<string>('sendrawtransaction', [rawSigned.hex]), /^[0-9a-f]{64}$/);
    const foreign = await h.wallet('bob').call<Json>('signrawtransactionwithwallet', [rawHex]);
    assert.equal(foreign.complete, false);
    assert.equal((foreign.errors as Json[]).length, 1);
    await rejectsRpc(
      miner.call('signrawtransactionwithwallet', ['zz']),
      E.RPC_DESERIALIZATION_ERROR,
      'TX decode failed. Make sure the tx has at least one input.',
    );
    await rejectsRpc(
      miner.call('signrawtransactionwithwallet', [rawHex, [1]]),
      E.RPC_DESERIALIZATION_ERROR,
      'expected object with {"txid\'","vout","scriptPubKey"}',
    );
    await rejectsRpc(
      miner.call('signrawtransactionwithwallet', [rawHex, [{ txid: coin.txid, vout: 0 }]]),
      E.RPC_TYPE_ERROR,
      'Missing scriptPubKey',
    );
    await rejectsRpc(
      miner.call('signrawtransactionwithwallet', [rawHex, null, 'ALL|NOTHING']),
      E.RPC_INVALID_PARAMETER,
      "'ALL|NOTHING' is not a valid sighash parameter.",
    );
  });

  it('a 2-of-3 multisig spend between wallets, through a watch-only wallet', async () => {
    const names = ['ka', 'kb', 'kc'];
    const pubkeys: string[] = [];
    for (const name of names) {
      await h.call('createwallet', [name]);
      const address = await h.wallet(name).call<string>('getnewaddress');
      pubkeys.push((await h.wallet(name).call<Json>('getaddressinfo', [address])).pubkey as string);
    }
    const made = await h.call<Json>('createmultisig', [2, pubkeys, 'bech32']);
    const added = await h.wallet('ka').call<Json>('addmultisigaddress', [2, pubkeys, 'shared', 'bech32']);
    assert.equal(added.address, made.address);
    assert.equal(added.redeemScript, made.redeemScript);
    // Each cosigner records the script its key is in, so its wallet recognises the input as its own.
    await h.wallet('kc').call('addmultisigaddress', [2, pubkeys, 'shared', 'bech32']);

    await h.call('createwallet', { wallet_name: 'shared', disable_private_keys: true, blank: true });
    const shared = h.wallet('shared');
    await rejectsRpc(
      shared.call('importdescriptors', [[{ desc: made.descriptor }]]),
      E.RPC_TYPE_ERROR,
      'Missing required timestamp field for key',
    );
    await rejectsRpc(
      shared.call('importdescriptors', [[{ desc: made.descriptor, timestamp: true }]]),
      E.RPC_TYPE_ERROR,
      'Expected number or "now" timestamp value for key. got type bool',
    );
    const [bad] = await shared.call<Json[]>('importdescriptors', [
      [{ desc: 'wsh(nonsense)', timestamp: 'now' }],
    ]);
    assert.equal(bad!.success, false);
    assert.equal(typeof (bad!.error as Json).message, 'string');
    const [ok] = await shared.call<Json[]>('importdescriptors', [
      [{ desc: made.descriptor, timestamp: 'now', label: 'vault' }],
    ]);
    assert.equal(ok!.success, true);

    await h.wallet('miner').call('sendtoaddress', [made.address, 4]);
    await h.mineTo(minerAddress);
    assert.deepEqual((await shared.call<Json>('getbalances')).mine, {
      trusted: 4,
      untrusted_pending: 0,
      immature: 0,
    });
    const [coin] = await shared.call<Json[]>('listunspent');
    assert.equal(coin!.witnessScript, made.redeemScript);
    assert.equal(coin!.spendable, false, 'watch-only');
    assert.equal(coin!.solvable, true);

    await h.call('createwallet', ['payee']);
    const payee = await h.wallet('payee').call<string>('getnewaddress');
    // A wallet without private keys funds from its solvable watch-only coins (Core's
    // include_watching, on by default there): no input named. Change goes back to the multisig.
    const funded = await shared.call<Json>('walletcreatefundedpsbt', [
      [],
      [{ [payee]: 1 }],
      0,
      { changeAddress: made.address },
    ]);
    const decoded = await h.call<Json>('decodepsbt', [funded.psbt]);
    const vin = (decoded.tx as Json).vin as Json[];
    assert.deepEqual(
      vin.map((i) => [i.txid, i.vout]),
      [[coin!.txid, coin!.vout]],
    );
    const partA = await h.wallet('ka').call<Json>('walletprocesspsbt', [funded.psbt]);
    assert.equal(partA.complete, false);
    const partC = await h.wallet('kc').call<Json>('walletprocesspsbt', [funded.psbt]);
    assert.equal(partC.complete, false);
    const combined = await h.call<string>('combinepsbt', [[partA.psbt, partC.psbt]]);
    const final = await h.call<Json>('finalizepsbt', [combined]);
    assert.equal(final.complete, true);
    const txid = await h.call<string>('sendrawtransaction', [final.hex]);
    await h.mineTo(minerAddress);
    const received = await h.wallet('payee').call<Json>('gettransaction', [txid]);
    assert.equal(received.amount, 1);
    assert.equal(received.confirmations, 1);
    assert.equal(await h.wallet('payee').call('getbalance'), 1);

    const tip = (await shared.call<Json>('getwalletinfo')).lastprocessedblock as Json;
    await rejectsRpc(shared.call('rescanblockchain', [-1]), E.RPC_INVALID_PARAMETER, 'Invalid start_height');
    await rejectsRpc(
      shared.call('rescanblockchain', [5, 2]),
      E.RPC_INVALID_PARAMETER,
      'stop_height must be greater than start_height',
    );
    await rejectsRpc(
      shared.call('rescanblockchain', [0, (tip.height as number) + 1]),
      E.RPC_INVALID_PARAMETER,
      'Invalid stop_height',
    );
    assert.deepEqual(await shared.call('rescanblockchain', [100]), {
      start_height: 100,
      stop_height: tip.height,
    });
    assert.equal(await shared.call('abortrescan'), false, 'nothing to abort');
    assert.ok(
      (((await shared.call<Json>('getbalances')).mine as Json).trusted as number) < 3,
      'the spend is tracked after a rescan',
    );
  });
});
