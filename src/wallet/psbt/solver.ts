import { equalBytes } from '../../encoding/bytes.js';
import { hash160, sha256 } from '../../crypto/hash.js';
import type { TxOut } from '../../primitives/txout.js';
import { SigVersion } from '../../script/sigversion.js';
import { classifyScript, p2pkh } from '../../script/templates.js';
import type { Psbt } from './psbt.js';

/**
 * Works out how an input is spent from what its PSBT map says (Core's ProduceSignature/SignStep
 * for the templates a multi-institution wallet uses): which key template is at the bottom, inside
 * which wrappers (BIP16 P2SH, BIP141 P2WSH/P2WPKH), and with which signature hash (legacy or
 * BIP143). Signer, finalizer and analyzer share it so they can never disagree about a script.
 */

/** What a satisfied script needs besides signatures. */
export type KeyTemplate =
  | { type: 'pubkey'; pubkey: Uint8Array }
  | { type: 'pubkeyhash'; hash: Uint8Array }
  | { type: 'multisig'; required: number; pubkeys: Uint8Array[] };

export interface SpendPlan {
  utxo: TxOut;
  template: KeyTemplate;
  /** BASE (legacy sighash) or WITNESS_V0 (BIP143). */
  sigversion: SigVersion;
  /** The script the signature hash commits to (for P2WPKH, the implied P2PKH script). */
  scriptCode: Uint8Array;
  /** Present for BIP16 spends: pushed last in the scriptSig. */
  redeemScript: Uint8Array | undefined;
  /** Present for P2WSH spends: the last witness item. */
  witnessScript: Uint8Array | undefined;
}

/** Why an input cannot be signed or finalized yet (or at all). */
export type InputIssue =
  | { code: 'missing-utxo' }
  | { code: 'utxo-mismatch' }
  | { code: 'witness-utxo-for-non-witness' }
  | { code: 'missing-redeem-script'; hash: Uint8Array }
  | { code: 'redeem-script-mismatch' }
  | { code: 'missing-witness-script'; hash: Uint8Array }
  | { code: 'witness-script-mismatch' }
  | { code: 'unsupported-script' };

export type SolveResult = { ok: true; plan: SpendPlan } | ({ ok: false } & InputIssue);

function fail(issue: InputIssue): SolveResult {
  return { ok: false, ...issue };
}

function keyTemplate(script: Uint8Array): KeyTemplate | undefined {
  const c = classifyScript(script);
  if (c.type === 'pubkey') return { type: 'pubkey', pubkey: c.pubkey };
  if (c.type === 'pubkeyhash') return { type: 'pubkeyhash', hash: c.hash };
  if (c.type === 'multisig') return { type: 'multisig', required: c.required, pubkeys: c.pubkeys };
  return undefined;
}

/**
 * The spent output as the Signer may trust it (BIP174 "Signer": only the PSBT's UTXOs, the
 * non-witness one checked against the outpoint). `witnessOnly` marks outputs known only from a
 * witness UTXO, whose amount and script a legacy signature would not commit to.
 */
function spentOutput(psbt: Psbt, index: number): { utxo: TxOut; witnessOnly: boolean } | InputIssue {
  const input = psbt.inputs[index]!;
  const prevout = psbt.unsignedTx.inputs[index]!.prevout;
  if (input.nonWitnessUtxo !== undefined) {
    const utxo = input.nonWitnessUtxo.outputs[prevout.index];
    if (utxo === undefined || !equalBytes(input.nonWitnessUtxo.txid(), prevout.hash)) {
      return { code: 'utxo-mismatch' };
    }
    return { utxo, witnessOnly: false };
  }
  if (input.witnessUtxo !== undefined) return { utxo: input.witnessUtxo, witnessOnly: true };
  return { code: 'missing-utxo' };
}

/** Resolves input `index` of `psbt` to a SpendPlan, or says what is missing or inconsistent. */
export function solveInput(psbt: Psbt, index: number): SolveResult {
  const input = psbt.inputs[index]!;
  const spent = spentOutput(psbt, index);
  if ('code' in spent) return fail(spent);
  const { utxo, witnessOnly } = spent;

  let script = utxo.scriptPubKey;
  let redeemScript: Uint8Array | undefined;
  const outer = classifyScript(script);
  if (outer.type === 'scripthash') {
    if (input.redeemScript === undefined) return fail({ code: 'missing-redeem-script', hash: outer.hash });
    if (!equalBytes(hash160(input.redeemScript), outer.hash)) return fail({ code: 'redeem-script-mismatch' });
    redeemScript = input.redeemScript;
    script = redeemScript;
  } else if (input.redeemScript !== undefined) {
    // BIP174: "If a redeemScript is provided, the scriptPubKey must be for that redeemScript".
    return fail({ code: 'redeem-script-mismatch' });
  }

  const inner = classifyScript(script);
  if (inner.type === 'witness_v0_keyhash') {
    if (input.witnessScript !== undefined) return fail({ code: 'witness-script-mismatch' });
    return {
      ok: true,
      plan: {
        utxo,
        template: { type: 'pubkeyhash', hash: inner.program },
        sigversion: SigVersion.WITNESS_V0,
        // BIP143: the scriptCode of P2WPKH is the P2PKH script of the same hash.
        scriptCode: p2pkh(inner.program),
        redeemScript,
        witnessScript: undefined,
      },
    };
  }
  if (inner.type === 'witness_v0_scripthash') {
    const witnessScript = input.witnessScript;
    if (witnessScript === undefined) return fail({ code: 'missing-witness-script', hash: inner.program });
    if (!equalBytes(sha256(witnessScript), inner.program)) return fail({ code: 'witness-script-mismatch' });
    const template = keyTemplate(witnessScript);
    if (template === undefined) return fail({ code: 'unsupported-script' });
    return {
      ok: true,
      plan: {
        utxo,
        template,
        sigversion: SigVersion.WITNESS_V0,
        scriptCode: witnessScript,
        redeemScript,
        witnessScript,
      },
    };
  }
  // Taproot and future witness versions are not signed here; neither is anything non-standard.
  if (inner.type.startsWith('witness_') || inner.type === 'anchor')
    return fail({ code: 'unsupported-script' });
  if (input.witnessScript !== undefined) return fail({ code: 'witness-script-mismatch' });
  // A legacy signature does not commit to the amount: a witness UTXO alone could lie about it
  // (BIP174 "If a witness UTXO is provided, no non-witness signature may be created").
  if (witnessOnly) return fail({ code: 'witness-utxo-for-non-witness' });
  const template = keyTemplate(script);
  if (template === undefined) return fail({ code: 'unsupported-script' });
  return {
    ok: true,
    plan: {
      utxo,
      template,
      sigversion: SigVersion.BASE,
      scriptCode: script,
      redeemScript,
      witnessScript: undefined,
    },
  };
}

/** Every public key the PSBT names for input `index` (partial signatures and key paths). */
export function knownPubkeys(psbt: Psbt, index: number): Uint8Array[] {
  const input = psbt.inputs[index]!;
  return [...input.partialSigs.map((s) => s.pubkey), ...input.bip32Derivations.map((d) => d.pubkey)];
}

/** The public keys a template asks signatures for, P2PKH's resolved through `candidates`. */
export function templatePubkeys(template: KeyTemplate, candidates: readonly Uint8Array[]): Uint8Array[] {
  if (template.type === 'pubkey') return [template.pubkey];
  if (template.type === 'multisig') return template.pubkeys;
  const match = candidates.find((key) => equalBytes(hash160(key), template.hash));
  return match === undefined ? [] : [match];
}
