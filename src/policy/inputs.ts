import type { CoinView } from '../consensus/coin-view.js';
import type { Transaction } from '../primitives/transaction.js';
import type { SignatureChecker } from '../script/checker.js';
import type { ScriptError } from '../script/errors.js';
import { evalScript } from '../script/interpreter.js';
import { isPayToScriptHash, isWitnessProgram } from '../script/script.js';
import { getSigOpCount } from '../script/sigops.js';
import { SigVersion } from '../script/sigversion.js';
import { ANNEX_TAG, TAPROOT_LEAF_MASK, TAPROOT_LEAF_TAPSCRIPT } from '../script/taproot.js';
import { classifyScript } from '../script/templates.js';
import {
  MAX_P2SH_SIGOPS,
  MAX_STANDARD_P2WSH_SCRIPT_SIZE,
  MAX_STANDARD_P2WSH_STACK_ITEM_SIZE,
  MAX_STANDARD_P2WSH_STACK_ITEMS,
  MAX_STANDARD_TAPSCRIPT_STACK_ITEM_SIZE,
} from './constants.js';

/**
 * Core's BaseSignatureChecker: every check fails. Policy only evaluates scriptSigs to find the
 * redeem script they push; no signature is ever judged here.
 */
const NO_SIGNATURES: SignatureChecker = {
  checkEcdsaSignature: () => false,
  checkSchnorrSignature: (): ScriptError => 'SCHNORR_SIG',
  checkLockTime: () => false,
  checkSequence: () => false,
};

/** The stack a scriptSig leaves (no flags, no signatures), or null if it fails to run. */
function scriptSigStack(scriptSig: Uint8Array): Uint8Array[] | null {
  const stack: Uint8Array[] = [];
  return evalScript(stack, scriptSig, 0, NO_SIGNATURES, SigVersion.BASE) === 'OK' ? stack : null;
}

/**
 * Core's AreInputsStandard (v29): every spent output is a known template (not nonstandard, not an
 * unknown witness version), and a P2SH redeem script has at most 15 accurately counted sigops.
 * Guards against scriptSigs stuffed with data the script never consumes and against P2SH scripts
 * built to be expensive to verify. Coins must exist in `view` (the caller ran checkTxInputs).
 */
export function areInputsStandard(tx: Transaction, view: CoinView): boolean {
  if (tx.isCoinbase()) return true;
  for (const input of tx.inputs) {
    const coin = view.getCoin(input.prevout);
    if (coin === undefined) return false;
    const type = classifyScript(coin.scriptPubKey).type;
    if (type === 'nonstandard' || type === 'witness_unknown') return false;
    if (type === 'scripthash') {
      const stack = scriptSigStack(input.scriptSig);
      if (stack === null || stack.length === 0) return false;
      if (getSigOpCount(stack[stack.length - 1]!, true) > MAX_P2SH_SIGOPS) return false;
    }
  }
  return true;
}

/**
 * Core's IsWitnessStandard (v29): no witness on inputs that cannot use one (witness stuffing),
 * P2WSH within 3,600 script bytes and 100 items of 80 bytes, no taproot annex, tapscript items of
 * at most 80 bytes. Coins must exist in `view`.
 */
export function isWitnessStandard(tx: Transaction, view: CoinView): boolean {
  if (tx.isCoinbase()) return true;
  for (const input of tx.inputs) {
    const witness = input.witness;
    // An empty witness cannot be bloated; an invalid spend without it is caught by the scripts.
    if (witness.length === 0) continue;
    const coin = view.getCoin(input.prevout);
    if (coin === undefined) return false;
    let script = coin.scriptPubKey;
    if (classifyScript(script).type === 'anchor') return false;
    let p2sh = false;
    if (isPayToScriptHash(script)) {
      // The redeem script is taken casually from the scriptSig's stack; push-only and the hash are
      // checked by the script run later.
      const stack = scriptSigStack(input.scriptSig);
      if (stack === null || stack.length === 0) return false;
      script = stack[stack.length - 1]!;
      p2sh = true;
    }
    const program = isWitnessProgram(script);
    if (program === null) return false;

    if (program.version === 0 && program.program.length === 32) {
      if (witness[witness.length - 1]!.length > MAX_STANDARD_P2WSH_SCRIPT_SIZE) return false;
      const items = witness.length - 1;
      if (items > MAX_STANDARD_P2WSH_STACK_ITEMS) return false;
      for (let j = 0; j < items; j++) {
        if (witness[j]!.length > MAX_STANDARD_P2WSH_STACK_ITEM_SIZE) return false;
      }
    }

    if (program.version === 1 && program.program.length === 32 && !p2sh) {
      let end = witness.length;
      const last = witness[end - 1]!;
      // Annexes stay nonstandard until a soft fork gives them meaning (BIP341).
      if (end >= 2 && last.length > 0 && last[0] === ANNEX_TAG) return false;
      if (end >= 2) {
        const control = witness[end - 1]!;
        end -= 2; // control block and leaf script
        if (control.length === 0) return false;
        if ((control[0]! & TAPROOT_LEAF_MASK) === TAPROOT_LEAF_TAPSCRIPT) {
          for (let j = 0; j < end; j++) {
            if (witness[j]!.length > MAX_STANDARD_TAPSCRIPT_STACK_ITEM_SIZE) return false;
          }
        }
      }
      // One item is a key path spend: no policy limits. (Zero cannot occur: empty witnesses were skipped.)
    }
  }
  return true;
}
