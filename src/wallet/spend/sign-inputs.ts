import { randomBytes } from 'node:crypto';
import { hash160 } from '../../crypto/hash.js';
import { ecdsaSignDerLowR } from '../../crypto/secp256k1.js';
import { signTaprootKeyPath } from '../../crypto/taproot-sign.js';
import { concatBytes } from '../../encoding/bytes.js';
import type { Transaction } from '../../primitives/transaction.js';
import { TxOut } from '../../primitives/txout.js';
import { ScriptExecutionData } from '../../script/execdata.js';
import { PrecomputedTransactionData } from '../../script/precomputed.js';
import { pushData } from '../../script/script.js';
import { SighashType, signatureHashLegacy, signatureHashWitnessV0 } from '../../script/sighash.js';
import { SIGHASH_DEFAULT, signatureHashTaproot } from '../../script/sighash-taproot.js';
import { SigVersion } from '../../script/sigversion.js';
import { p2pkh } from '../../script/templates.js';
import { wipe } from '../keys/secret.js';
import type { OwnedScript } from '../keychain/owned-script.js';

/** Private key for a public key the wallet holds (a fresh copy the signer wipes), or undefined. */
export type KeyLookup = (pubkey: Uint8Array, owned: OwnedScript | undefined) => Uint8Array | undefined;

export interface InputToSign {
  readonly owned: OwnedScript;
  /** The spent output's amount (BIP143 commits to it). */
  readonly value: number;
}

export type SignOutcome = { readonly ok: true } | { readonly ok: false; readonly error: string };

/** Core's low-R grinding: at most 71 bytes with the sighash byte, as the fee estimate assumed. */
function signature(digest: Uint8Array, key: Uint8Array, hashType: number): Uint8Array {
  return concatBytes(ecdsaSignDerLowR(digest, key), Uint8Array.of(hashType & 0xff));
}

/**
 * BIP341 signs every spent amount and script, so taproot inputs can be signed only when all inputs
 * are known (Core's m_spent_outputs_ready); otherwise undefined.
 */
function spentOutputs(inputs: readonly (InputToSign | undefined)[]): TxOut[] | undefined {
  const outs: TxOut[] = [];
  for (const input of inputs) {
    if (input === undefined) return undefined;
    outs.push(new TxOut(input.value, input.owned.scriptPubKey));
  }
  return outs;
}

/**
 * A BIP86 key-path witness: one BIP340 signature by the output key (the internal key tweaked with
 * no script tree). SIGHASH_ALL is signed as SIGHASH_DEFAULT: it commits to the same data and
 * saves the sighash byte (64-byte signature, as the fee estimate assumed); other types append it.
 */
function signTaproot(
  tx: Transaction,
  i: number,
  key: Uint8Array,
  hashType: number,
  txdata: PrecomputedTransactionData,
): SignOutcome {
  const type = hashType === SighashType.ALL ? SIGHASH_DEFAULT : hashType;
  const digest = signatureHashTaproot(tx, i, type, SigVersion.TAPROOT, txdata, new ScriptExecutionData());
  if (digest === null)
    return { ok: false, error: 'Unable to sign input, missing spent outputs or bad sighash' };
  const sig = signTaprootKeyPath(digest, key, new Uint8Array(randomBytes(32)));
  const txIn = tx.inputs[i]!;
  txIn.witness = [type === SIGHASH_DEFAULT ? sig : concatBytes(sig, Uint8Array.of(type))];
  txIn.scriptSig = new Uint8Array(0);
  return { ok: true };
}

/**
 * Signs inputs of the wallet's own script types in place (Core's ProduceSignature for P2PKH,
 * P2SH-P2WPKH, P2WPKH, BIP86 P2TR key path and m-of-n CHECKMULTISIG under P2SH, P2WSH or
 * P2SH-P2WSH). Inputs given as undefined are left alone. Returns per input whether it is complete.
 */
export function signInputs(
  tx: Transaction,
  inputs: readonly (InputToSign | undefined)[],
  keyFor: KeyLookup,
  hashType: number = SighashType.ALL,
): SignOutcome[] {
  const txdata = new PrecomputedTransactionData(tx, spentOutputs(inputs));
  const results = inputs.map((input, i): SignOutcome => {
    if (input === undefined) return { ok: false, error: 'Input not found or already spent' };
    const { owned, value } = input;
    const txIn = tx.inputs[i]!;
    if (owned.multisig !== undefined) return signMultisig(tx, i, input, keyFor, hashType, txdata);
    const pubkey = owned.pubkey;
    const kind = owned.spend?.kind;
    if (pubkey === undefined || kind === undefined)
      return { ok: false, error: 'Unable to sign input, invalid stack size (possibly missing key)' };
    const key = keyFor(pubkey, owned);
    if (key === undefined)
      return { ok: false, error: 'Unable to sign input, invalid stack size (possibly missing key)' };
    try {
      if (kind === 'p2tr-keypath') return signTaproot(tx, i, key, hashType, txdata);
      if (kind === 'p2pkh') {
        const digest = signatureHashLegacy(owned.scriptPubKey, tx, i, hashType, txdata);
        txIn.scriptSig = concatBytes(pushData(signature(digest, key, hashType)), pushData(pubkey));
        txIn.witness = [];
      } else {
        // BIP143: a P2WPKH input's scriptCode is the P2PKH script of its key hash.
        const digest = signatureHashWitnessV0(p2pkh(hash160(pubkey)), tx, i, hashType, value, txdata);
        txIn.witness = [signature(digest, key, hashType), pubkey];
        txIn.scriptSig =
          kind === 'p2sh-p2wpkh' && owned.redeemScript !== undefined
            ? pushData(owned.redeemScript)
            : new Uint8Array(0);
      }
    } finally {
      wipe(key);
    }
    return { ok: true };
  });
  tx.invalidate();
  return results;
}

function signMultisig(
  tx: Transaction,
  i: number,
  input: InputToSign,
  keyFor: KeyLookup,
  hashType: number,
  txdata: PrecomputedTransactionData,
): SignOutcome {
  const { owned, value } = input;
  const ms = owned.multisig!;
  const witnessScript = owned.witnessScript;
  const script = witnessScript ?? owned.redeemScript;
  if (script === undefined) return { ok: false, error: 'Unable to sign input, missing scripts' };
  const digest =
    witnessScript === undefined
      ? signatureHashLegacy(script, tx, i, hashType, txdata)
      : signatureHashWitnessV0(witnessScript, tx, i, hashType, value, txdata);
  const sigs: Uint8Array[] = [];
  for (const pubkey of ms.pubkeys) {
    if (sigs.length === ms.m) break;
    const key = keyFor(pubkey, owned);
    if (key === undefined) continue;
    try {
      sigs.push(signature(digest, key, hashType));
    } finally {
      wipe(key);
    }
  }
  if (sigs.length < ms.m)
    return { ok: false, error: 'Unable to sign input, invalid stack size (possibly missing key)' };
  const txIn = tx.inputs[i]!;
  if (witnessScript === undefined) {
    // CHECKMULTISIG pops one extra element (the historic off-by-one): OP_0 first.
    txIn.scriptSig = concatBytes(Uint8Array.of(0), ...sigs.map(pushData), pushData(script));
    txIn.witness = [];
  } else {
    txIn.witness = [new Uint8Array(0), ...sigs, witnessScript];
    txIn.scriptSig = owned.redeemScript !== undefined ? pushData(owned.redeemScript) : new Uint8Array(0);
  }
  return { ok: true };
}
