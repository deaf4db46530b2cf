import { equalBytes } from '../encoding/bytes.js';
import type { SignatureChecker } from './checker.js';
import type { ScriptError } from './errors.js';
import { evalScript } from './eval.js';
import { ScriptFlags } from './flags.js';
import { isPayToScriptHash, isPushOnly, isWitnessProgram, pushData } from './script.js';
import { castToBool } from './script-num.js';
import { SigVersion } from './sigversion.js';
import { verifyWitnessProgram } from './witness.js';

export { evalScript, executeScript, executeWitnessScript } from './eval.js';

/**
 * Core's VerifyScript: scriptSig, then scriptPubKey on the resulting stack, then BIP16 P2SH and
 * BIP141 witness programs (native or P2SH-nested; BIP341 taproot, native only, under TAPROOT).
 * Returns 'OK' or Core's error, never throws.
 *
 * Core asserts that CLEANSTACK comes with P2SH and WITNESS, and WITNESS with P2SH; callers must
 * pass such combinations (this function does not crash on others, it just applies the flags).
 */
export function verifyScript(
  scriptSig: Uint8Array,
  scriptPubKey: Uint8Array,
  witness: readonly Uint8Array[],
  flags: number,
  checker: SignatureChecker,
): ScriptError {
  if (flags & ScriptFlags.SIGPUSHONLY && !isPushOnly(scriptSig)) return 'SIG_PUSHONLY';

  const stack: Uint8Array[] = [];
  let result = evalScript(stack, scriptSig, flags, checker, SigVersion.BASE);
  if (result !== 'OK') return result;
  const stackCopy = flags & ScriptFlags.P2SH ? stack.slice() : [];
  result = evalScript(stack, scriptPubKey, flags, checker, SigVersion.BASE);
  if (result !== 'OK') return result;
  if (stack.length === 0 || !castToBool(stack[stack.length - 1]!)) return 'EVAL_FALSE';

  let finalStack = stack;
  let hadWitness = false;
  if (flags & ScriptFlags.WITNESS) {
    const wp = isWitnessProgram(scriptPubKey);
    if (wp !== null) {
      hadWitness = true;
      // A native witness spend with a scriptSig could be malleated by changing the scriptSig.
      if (scriptSig.length !== 0) return 'WITNESS_MALLEATED';
      result = verifyWitnessProgram(witness, wp.version, wp.program, flags, checker, false);
      if (result !== 'OK') return result;
      // Keep one element so CLEANSTACK below sees a clean stack.
      finalStack.length = 1;
    }
  }

  if (flags & ScriptFlags.P2SH && isPayToScriptHash(scriptPubKey)) {
    // BIP16: the scriptSig must be pushes only, and the last push is the redeem script.
    if (!isPushOnly(scriptSig)) return 'SIG_PUSHONLY';
    finalStack = stackCopy;
    // Cannot be empty: the P2SH script's HASH160 needed an element, which came from scriptSig.
    const redeemScript = finalStack.pop()!;
    result = evalScript(finalStack, redeemScript, flags, checker, SigVersion.BASE);
    if (result !== 'OK') return result;
    if (finalStack.length === 0 || !castToBool(finalStack[finalStack.length - 1]!)) return 'EVAL_FALSE';

    if (flags & ScriptFlags.WITNESS) {
      const wp = isWitnessProgram(redeemScript);
      if (wp !== null) {
        hadWitness = true;
        // The scriptSig must be exactly the one push of the redeem script (no malleable extras).
        if (!equalBytes(scriptSig, pushData(redeemScript))) return 'WITNESS_MALLEATED_P2SH';
        result = verifyWitnessProgram(witness, wp.version, wp.program, flags, checker, true);
        if (result !== 'OK') return result;
        finalStack.length = 1;
      }
    }
  }

  // Policy: nothing may be left beside the result, so spends cannot be padded (malleability).
  if (flags & ScriptFlags.CLEANSTACK && finalStack.length !== 1) return 'CLEANSTACK';

  // A witness on an input that did not use it could be stripped or changed freely.
  if (flags & ScriptFlags.WITNESS && !hadWitness && witness.length > 0) return 'WITNESS_UNEXPECTED';
  return 'OK';
}
