import { toHex } from '../../encoding/hex.js';
import type { Transaction } from '../../primitives/transaction.js';
import { SighashType } from '../../script/sighash.js';
import { type SignRawError, type SignRawPrevTx, WALLET_MESSAGES, WalletError } from '../api.js';
import { type OwnedScript, scriptKey } from '../keychain/owned-script.js';
import { wipe } from '../keys/secret.js';
import { finalizePsbt } from '../psbt/finalizer.js';
import type { Psbt } from '../psbt/psbt.js';
import { type EcdsaKey, privateKeySigner, signPsbt } from '../psbt/signer.js';
import { knownPubkeys, solveInput, templatePubkeys } from '../psbt/solver.js';
import type { Bip32Derivation, TapBip32Derivation } from '../psbt/types.js';
import { updatePsbt } from '../psbt/updater.js';
import type { WalletState } from '../wallet-state.js';
import { type InputToSign, signInputs } from './sign-inputs.js';
import { withWalletKeys } from './wallet-keys.js';

/** The keys an owned script is spent with. */
function keysOf(owned: OwnedScript): readonly Uint8Array[] {
  if (owned.multisig !== undefined) return owned.multisig.pubkeys;
  return owned.pubkey === undefined ? [] : [owned.pubkey];
}

/** The wallet's scripts a PSBT's inputs spend and its outputs pay. */
function involvedScripts(s: WalletState, psbt: Psbt): OwnedScript[] {
  const found: OwnedScript[] = [];
  psbt.unsignedTx.inputs.forEach((txIn, i) => {
    const out = s.book.outputs.get(txIn.prevout.key());
    const script = out?.script ?? lookup(s, psbt.utxo(i)?.scriptPubKey);
    if (script !== undefined) found.push(script);
  });
  for (const o of psbt.unsignedTx.outputs) {
    const script = lookup(s, o.scriptPubKey);
    if (script !== undefined) found.push(script);
  }
  return found;
}

function lookup(s: WalletState, script: Uint8Array | undefined): OwnedScript | undefined {
  return script === undefined ? undefined : s.scripts.get(scriptKey(script));
}

/**
 * Core's FillPSBT without signing: previous transactions of the wallet's inputs, redeem and
 * witness scripts, and (with `bip32Derivs`) the HD origins of the wallet's keys.
 */
export function psbtWalletData(s: WalletState, psbt: Psbt, bip32Derivs: boolean): void {
  const previousTransactions: Transaction[] = [];
  for (const txIn of psbt.unsignedTx.inputs) {
    const wtx = s.book.outputs.get(txIn.prevout.key())?.wtx;
    if (wtx !== undefined) previousTransactions.push(wtx.tx);
  }
  const scripts = involvedScripts(s, psbt);
  const redeemScripts: Uint8Array[] = [];
  const witnessScripts: Uint8Array[] = [];
  const derivations: Bip32Derivation[] = [];
  const tapDerivations: TapBip32Derivation[] = [];
  const fingerprint = Buffer.from(s.meta.masterFingerprint ?? '00000000', 'hex');
  for (const owned of scripts) {
    if (owned.redeemScript !== undefined) redeemScripts.push(owned.redeemScript);
    if (owned.witnessScript !== undefined) witnessScripts.push(owned.witnessScript);
    // BIP86: the internal key is solving data (Core fills it whatever bip32derivs says); its origin
    // goes in TAP_BIP32_DERIVATION, which the updater writes with it.
    if (owned.spend?.kind === 'p2tr-keypath' && owned.pubkey !== undefined && owned.hd !== undefined) {
      const origin = { fingerprint: new Uint8Array(fingerprint), path: [...owned.hd.path] };
      tapDerivations.push({ xonly: owned.pubkey.subarray(1), leafHashes: [], origin });
      continue;
    }
    if (!bip32Derivs) continue;
    for (const pubkey of keysOf(owned)) {
      const holder = s.scripts.findByPubkey(pubkey);
      if (holder?.hd !== undefined) {
        derivations.push({
          pubkey,
          origin: { fingerprint: new Uint8Array(fingerprint), path: [...holder.hd.path] },
        });
      }
    }
  }
  updatePsbt(psbt, {
    previousTransactions,
    redeemScripts,
    witnessScripts,
    derivations,
    tapDerivations,
    tapOrigins: bip32Derivs,
  });
}

/**
 * The public keys the wallet may hold a private key for, per Core's FillPSBT: the keys of the
 * scripts it has recorded, and for inputs it has not, the keys the PSBT names itself: its BIP32
 * derivations (Core's hd_keypaths) and the keys of its redeem or witness script (a multisig the
 * wallet was never told about, whose cosigner keys are the wallet's). Each is looked up among the
 * wallet's own keys when signing; unknown ones are simply skipped.
 */
function signingPubkeys(
  s: WalletState,
  psbt: Psbt,
): { pubkey: Uint8Array; owned: OwnedScript | undefined }[] {
  const found = new Map<string, { pubkey: Uint8Array; owned: OwnedScript | undefined }>();
  const add = (pubkey: Uint8Array, owned: OwnedScript | undefined): void => {
    const id = toHex(pubkey);
    if (!found.has(id)) found.set(id, { pubkey, owned: owned ?? s.scripts.findByPubkey(pubkey) });
  };
  for (const script of involvedScripts(s, psbt)) for (const pubkey of keysOf(script)) add(pubkey, script);
  psbt.inputs.forEach((input, i) => {
    for (const d of input.bip32Derivations) add(d.pubkey, undefined);
    const solved = solveInput(psbt, i);
    if (solved.ok) {
      for (const pubkey of templatePubkeys(solved.plan.template, knownPubkeys(psbt, i)))
        add(pubkey, undefined);
    }
  });
  return [...found.values()];
}

/** walletprocesspsbt: update, optionally sign and finalize. */
export function processPsbt(
  s: WalletState,
  psbt: Psbt,
  o: { sign: boolean; sighashType?: number; bip32Derivs: boolean; finalize: boolean },
): { psbt: Psbt; complete: boolean } {
  if (o.sign && s.keystore?.isLocked === true)
    throw new WalletError('UNLOCK_NEEDED', WALLET_MESSAGES.UNLOCK_NEEDED);
  psbtWalletData(s, psbt, o.bip32Derivs);
  if (o.sign && s.keystore !== undefined) {
    const pubkeys = signingPubkeys(s, psbt);
    withWalletKeys(s.keystore, s.scripts, s.signingKeys, (keyFor) => {
      const signers: EcdsaKey[] = [];
      const privates: Uint8Array[] = [];
      for (const { pubkey, owned } of pubkeys) {
        const key = keyFor(pubkey, owned);
        if (key === undefined) continue;
        privates.push(key);
        signers.push(privateKeySigner(key, pubkey.length === 33, true));
      }
      try {
        signPsbt(psbt, signers, { sighashType: o.sighashType ?? SighashType.ALL });
      } finally {
        wipe(...privates);
      }
    });
  }
  let complete = psbt.inputs.every((i) => i.isFinalized());
  if (o.finalize) complete = finalizePsbt(psbt).complete;
  return { psbt, complete };
}

/** signrawtransactionwithwallet: signs the inputs whose scripts the wallet can solve. */
export function signRawTransaction(
  s: WalletState,
  tx: Transaction,
  prevtxs: SignRawPrevTx[],
  sighashType: number,
): { tx: Transaction; complete: boolean; errors: SignRawError[] } {
  const signed = tx.clone();
  const toSign: (InputToSign | undefined)[] = signed.inputs.map((txIn) => {
    const out = s.book.outputs.get(txIn.prevout.key());
    if (out !== undefined) return { owned: out.script, value: out.value };
    const given = prevtxs.find((p) => p.txid === txIn.prevout.txid() && p.vout === txIn.prevout.index);
    const owned = lookup(s, given?.scriptPubKey);
    return owned === undefined || given?.amount === undefined ? undefined : { owned, value: given.amount };
  });
  const needsKeys = toSign.some((t) => t?.owned.spendable === true);
  const results =
    needsKeys && s.keystore !== undefined
      ? withWalletKeys(s.keystore, s.scripts, s.signingKeys, (keyFor) =>
          signInputs(signed, toSign, keyFor, sighashType),
        )
      : toSign.map(() => ({ ok: false as const, error: 'Input not found or already spent' }));
  const errors: SignRawError[] = [];
  results.forEach((r, i) => {
    const txIn = signed.inputs[i]!;
    // An input signed by someone else before stays as it was and counts as done.
    const presigned = txIn.scriptSig.length > 0 || txIn.witness.length > 0;
    if (r.ok || presigned) return;
    errors.push({
      txid: txIn.prevout.txid(),
      vout: txIn.prevout.index,
      witness: txIn.witness.map(toHex),
      scriptSig: toHex(txIn.scriptSig),
      sequence: txIn.sequence,
      error: r.error,
    });
  });
  return { tx: signed, complete: errors.length === 0, errors };
}
