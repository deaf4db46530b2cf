import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { p2pkh, p2sh, p2tr, p2wpkh, p2wsh } from '../../../src/script/templates.js';
import { regtest } from '../../../src/consensus/networks/regtest.js';
import type { AddressType } from '../../../src/wallet/api.js';
import { PURPOSE_OF } from '../../../src/wallet/keychain/key-chain.js';
import { WalletScripts } from '../../../src/wallet/keychain/wallet-scripts.js';
import { HDAccount, HDKey, mnemonicToSeed } from '../../../src/wallet/keys/index.js';
import { transactionChangeType } from '../../../src/wallet/spend/change-type.js';

const master = HDKey.fromSeed(
  mnemonicToSeed(
    'abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about',
  ),
);

/** Real HD chains (keypool 1) for exactly `types`, as a wallet created with those accounts has. */
function wallet(...types: AddressType[]): WalletScripts {
  const scripts = new WalletScripts(regtest, 1);
  const accounts: Partial<Record<AddressType, string>> = {};
  for (const t of types) accounts[t] = HDAccount.fromMaster(master, PURPOSE_OF[t], regtest).extendedPublicKey;
  scripts.setupHd({
    masterFingerprint: master.fingerprint,
    accounts,
    nextIndexes: new Map(),
    spendable: false,
  });
  return scripts;
}

const TR = p2tr(new Uint8Array(32).fill(1));
const WPKH = p2wpkh(new Uint8Array(20).fill(2));
const SH = p2sh(new Uint8Array(20).fill(3));
const PKH = p2pkh(new Uint8Array(20).fill(4));
const WSH = p2wsh(new Uint8Array(32).fill(5));
const ALL: AddressType[] = ['legacy', 'p2sh-segwit', 'bech32', 'bech32m'];

describe("transactionChangeType (Core's CWallet::TransactionChangeType, -changetype unset)", () => {
  it('an explicit change type always wins', () => {
    assert.equal(transactionChangeType(wallet(...ALL), 'legacy', [TR]), 'legacy');
  });

  it('matches the recipients, taproot first, then P2WPKH, P2SH, P2PKH', () => {
    assert.equal(transactionChangeType(wallet(...ALL), undefined, [PKH, SH, WPKH, TR]), 'bech32m');
    assert.equal(transactionChangeType(wallet(...ALL), undefined, [PKH, SH, WPKH]), 'bech32');
    assert.equal(transactionChangeType(wallet(...ALL), undefined, [PKH, SH]), 'p2sh-segwit');
    assert.equal(transactionChangeType(wallet(...ALL), undefined, [PKH]), 'legacy');
  });

  it('no matching recipient type: bech32m if the wallet has taproot change, else bech32', () => {
    assert.equal(transactionChangeType(wallet(...ALL), undefined, [WSH]), 'bech32m');
    assert.equal(
      transactionChangeType(wallet('legacy', 'p2sh-segwit', 'bech32'), undefined, [WSH]),
      'bech32',
    );
    assert.equal(transactionChangeType(wallet('legacy', 'p2sh-segwit', 'bech32'), undefined, [TR]), 'bech32');
    assert.equal(transactionChangeType(wallet('bech32m'), undefined, [PKH]), 'bech32m');
  });
});
