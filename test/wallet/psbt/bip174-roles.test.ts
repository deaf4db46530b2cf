import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { base58CheckDecode, fromHex, toHex } from '../../../src/encoding/index.js';
import { hash160 } from '../../../src/crypto/hash.js';
import { publicKeyCreate } from '../../../src/crypto/secp256k1.js';
import { Transaction } from '../../../src/primitives/transaction.js';
import {
  type Bip32Derivation,
  combinePsbts,
  createPsbt,
  extractTransaction,
  finalizePsbt,
  Psbt,
  privateKeySigner,
  signPsbt,
  updatePsbt,
} from '../../../src/wallet/psbt/index.js';
import { BIP174_ROLES, BIP174_UNKNOWN_COMBINE } from './bip174-vectors.js';

// BIP174 "Test Vectors": the Creator/Updater/Signer/Combiner/Finalizer/Extractor example. Every
// constant below is typed in from the BIP text; the expected PSBTs are in bip174-vectors.ts.

/** The BIP's master key; its fingerprint starts every derivation path below. */
const MASTER_TPRV =
  'tprv8ZgxMBicQKsPd9TeAdPADNnSyH9SSUUbTVeFszDE23Ki6TBB5nCefAdHkK8Fm3qMQR6sHwA56zqRmKmxnHk37JkiFzvncDqoKmPWubu7hDF';

/** BIP32 fingerprint: the first 4 bytes of HASH160 of the master public key. */
function masterFingerprint(): Uint8Array {
  const extended = base58CheckDecode(MASTER_TPRV);
  // version(4) depth(1) parent(4) child(4) chaincode(32) 0x00 key(32)
  return hash160(publicKeyCreate(extended.subarray(46, 78))).subarray(0, 4);
}

const HARDENED = 0x80000000;

/** "Public Keys" handed to the updater, each with its path m/0'/0'/n'. */
const PUBLIC_KEYS: [string, number][] = [
  ['029583bf39ae0a609747ad199addd634fa6108559d6c5cd39b4c2183f1ab96e07f', 0],
  ['02dab61ff49a14db6a7d02b0cd1fbb78fc4b18312b5b4e54dae4dba2fbfef536d7', 1],
  ['03089dc10c7ac6db54f91329af617333db388cead0c231f723379d1b99030b02dc', 2],
  ['023add904f3d6dcf59ddb906b0dee23529b7ffb9ed50e5e86151926860221f0e73', 3],
  ['03a9a4c37f5996d3aa25dbac6b570af0650394492942460b354753ed9eeca58771', 4],
  ['027f6399757d2eff55a136ad02c684b1838b6556e5f1b6b34282a94b6b50051096', 5],
];

const REDEEM_SCRIPTS = [
  '5221029583bf39ae0a609747ad199addd634fa6108559d6c5cd39b4c2183f1ab96e07f2102dab61ff49a14db6a7d02b0cd1fbb78fc4b18312b5b4e54dae4dba2fbfef536d752ae',
  '00208c2353173743b595dfb4a07b72ba8e42e3797da74e87fe7d9d7497e3b2028903',
];
const WITNESS_SCRIPTS = [
  '522103089dc10c7ac6db54f91329af617333db388cead0c231f723379d1b99030b02dc21023add904f3d6dcf59ddb906b0dee23529b7ffb9ed50e5e86151926860221f0e7352ae',
];

/** The two signers' keys (WIF, testnet, compressed). */
const SIGNER_A = [
  'cP53pDbR5WtAD8dYAW9hhTjuvvTVaEiQBdrz9XPrgLBeRFiyCbQr',
  'cR6SXDoyfQrcp4piaiHE97Rsgta9mNhGTen9XeonVgwsh4iSgw6d',
];
const SIGNER_B = [
  'cT7J9YpCwY3AVRFSjN6ukeEeWY6mhpbJPxRaDaP5QTdygQRxP9Au',
  'cNBc3SWUip9PPm1GjRoLEJT6T41iNzCYtD7qro84FMnM5zEqeJsE',
];

/** WIF: 0xef (testnet), the 32-byte key, 0x01 (compressed public key). */
function wifKey(wif: string) {
  const payload = base58CheckDecode(wif);
  assert.equal(payload[0], 0xef);
  assert.equal(payload.length, 34);
  return privateKeySigner(payload.subarray(1, 33), payload[33] === 0x01);
}

function created(): Psbt {
  return createPsbt(
    [
      { txid: '75ddabb27b8845f5247975c8a5ba7c6f336c4570708ebe230caf6db5217ae858', vout: 0 },
      { txid: '1dea7cd05979072a3578cab271c02244ea8a090bbb46aa680a65ecd027048d83', vout: 1 },
    ],
    [
      { script: fromHex('0014d85c2b71d0060b09c9886aeb815e50991dda124d'), value: 149_990_000 },
      { script: fromHex('001400aea9a2e5f0f876a588df5546e8742d1d87008f'), value: 100_000_000 },
    ],
  );
}

function updated(): Psbt {
  const psbt = created();
  const fingerprint = masterFingerprint();
  const derivations: Bip32Derivation[] = PUBLIC_KEYS.map(([pubkey, n]) => ({
    pubkey: fromHex(pubkey),
    origin: { fingerprint, path: [HARDENED, HARDENED, HARDENED + n] },
  }));
  updatePsbt(psbt, {
    previousTransactions: BIP174_ROLES.previousTransactions.map((hex) => Transaction.decode(fromHex(hex))),
    redeemScripts: REDEEM_SCRIPTS.map(fromHex),
    witnessScripts: WITNESS_SCRIPTS.map(fromHex),
    derivations,
    // The BIP's updater predates attaching whole previous transactions to segwit inputs.
    nonWitnessUtxoForSegwit: false,
  });
  return psbt;
}

function withSighash(): Psbt {
  const psbt = updated();
  updatePsbt(psbt, { sighashType: 0x01 });
  return psbt;
}

function signedBy(wifs: string[]): Psbt {
  const psbt = withSighash();
  const results = signPsbt(psbt, wifs.map(wifKey));
  assert.deepEqual(
    results.map((r) => [r.status, r.added]),
    [
      ['signed', 1],
      ['signed', 1],
    ],
  );
  return psbt;
}

describe('BIP174 role example (2-of-2 P2SH and P2SH-P2WSH multisig)', () => {
  it('Creator makes the expected PSBT', () => {
    assert.equal(created().toHex(), BIP174_ROLES.creator);
    assert.equal(created().toBase64(), BIP174_ROLES.base64[0]);
  });

  it('Updater adds UTXOs, scripts and key paths', () => {
    assert.equal(updated().toHex(), BIP174_ROLES.updater);
  });

  it('Updater adds SIGHASH_ALL', () => {
    assert.equal(withSighash().toHex(), BIP174_ROLES.updaterSighash);
  });

  it('each Signer adds RFC6979 signatures for its keys', () => {
    assert.equal(signedBy(SIGNER_A).toHex(), BIP174_ROLES.signerA);
    assert.equal(signedBy(SIGNER_B).toHex(), BIP174_ROLES.signerB);
  });

  it('Combiner merges the two signed PSBTs, in either order', () => {
    const a = Psbt.fromHex(BIP174_ROLES.signerA);
    const b = Psbt.fromHex(BIP174_ROLES.signerB);
    assert.equal(combinePsbts([a, b]).toHex(), BIP174_ROLES.combiner);
    assert.equal(combinePsbts([b, a]).toHex(), BIP174_ROLES.combiner);
    // The arguments are left alone.
    assert.equal(a.toHex(), BIP174_ROLES.signerA);
  });

  it('Finalizer builds final scripts and clears signing data', () => {
    const psbt = Psbt.fromHex(BIP174_ROLES.combiner);
    const result = finalizePsbt(psbt);
    assert.equal(result.complete, true);
    assert.equal(psbt.toHex(), BIP174_ROLES.finalizer);
  });

  it('Extractor produces the expected network transaction, verified', () => {
    const tx = extractTransaction(Psbt.fromHex(BIP174_ROLES.finalizer));
    assert.equal(toHex(tx.encode()), BIP174_ROLES.extracted);
  });

  it('the whole workflow from the creator on gives the same transaction', () => {
    const combined = combinePsbts([signedBy(SIGNER_A), signedBy(SIGNER_B)]);
    assert.equal(finalizePsbt(combined).complete, true);
    assert.equal(toHex(extractTransaction(combined).encode()), BIP174_ROLES.extracted);
  });

  it('Combiner orders unknown keys lexicographically', () => {
    const combined = combinePsbts([
      Psbt.fromHex(BIP174_UNKNOWN_COMBINE.first),
      Psbt.fromHex(BIP174_UNKNOWN_COMBINE.second),
    ]);
    assert.equal(combined.toHex(), BIP174_UNKNOWN_COMBINE.combined);
  });
});
