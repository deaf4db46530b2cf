import { ScriptFlags } from '../flags.js';
import { Op } from '../opcodes.js';
import {
  containsBytes,
  findAndDelete,
  MAX_OPS_PER_SCRIPT,
  MAX_PUBKEYS_PER_MULTISIG,
  pushData,
} from '../script.js';
import { EMPTY_BYTES, TRUE_BYTES } from '../script-num.js';
import { checkPubKeyEncoding, checkSignatureEncoding } from '../sig-encoding.js';
import { SigVersion } from '../sigversion.js';
import type { ScriptVM } from '../vm.js';
import { checkSigTapscript } from './tapscript.js';
import type { OpFamily, OpHandler } from './types.js';

/** The ECDSA signature opcodes (legacy and segwit v0); tapscript's CHECKSIG is in tapscript.ts. */

/**
 * The script a legacy signature commits to: from the last executed OP_CODESEPARATOR to the end,
 * minus any push of the signatures themselves (a signature cannot sign itself). Segwit v0 dropped
 * FindAndDelete (BIP143); under CONST_SCRIPTCODE policy a match is refused instead of deleted.
 */
function scriptCodeFor(vm: ScriptVM, sigs: readonly Uint8Array[]): Uint8Array | null {
  // Without a code separator the whole script is the scriptCode: no view needed.
  let scriptCode = vm.codeSeparatorPos === 0 ? vm.script : vm.script.subarray(vm.codeSeparatorPos);
  if (vm.sigversion !== SigVersion.BASE) return scriptCode;
  for (const sig of sigs) {
    // A push of `sig` contains `sig`: when the bytes are nowhere in the script (a P2PKH signature
    // never is), FindAndDelete has nothing to delete and the pattern need not be built. Skipping its
    // allocation (an ArrayBuffer-backed ~73 bytes) saved ~0.6 µs per CHECKSIG, ~0.85 ms per block
    // 300025.
    if (sig.length > 0 && !containsBytes(scriptCode, sig)) continue;
    // `CScript() << sig`: an empty signature becomes the pattern 0x00, deleting OP_0s. Consensus.
    const result = findAndDelete(scriptCode, pushData(sig));
    if (result.found > 0 && vm.flags & ScriptFlags.CONST_SCRIPTCODE) return null;
    scriptCode = result.script;
  }
  return scriptCode;
}

// [sig pubkey] -> [bool]   CHECKSIGVERIFY: [sig pubkey] -> [] or fail
const checkSig: OpHandler = (vm, op) => {
  if (vm.sigversion === SigVersion.TAPSCRIPT) return checkSigTapscript(vm, op);
  if (vm.stack.length < 2) return 'INVALID_STACK_OPERATION';
  const sig = vm.top(-2);
  const pubkey = vm.top(-1);
  const scriptCode = scriptCodeFor(vm, [sig]);
  if (scriptCode === null) return 'SIG_FINDANDDELETE';
  const encodingError =
    checkSignatureEncoding(sig, vm.flags) ?? checkPubKeyEncoding(pubkey, vm.flags, vm.sigversion);
  if (encodingError !== null) return encodingError;
  const ok = vm.checker.checkEcdsaSignature(sig, pubkey, scriptCode, vm.sigversion);
  // BIP146 NULLFAIL: only the empty signature may fail, so failures cannot be malleated.
  if (!ok && vm.flags & ScriptFlags.NULLFAIL && sig.length > 0) return 'NULLFAIL';
  vm.stack.length -= 2;
  if (op === Op.OP_CHECKSIGVERIFY) return ok ? null : 'CHECKSIGVERIFY';
  vm.push(ok ? TRUE_BYTES : EMPTY_BYTES);
  return null;
};

/**
 * [dummy sig1..sigM M key1..keyN N] -> [bool]   CHECKMULTISIGVERIFY: -> [] or fail
 *
 * Signatures must appear in the order of their keys; each key is tried once, so a failed match
 * consumes the key. The dummy element is Satoshi's off-by-one, made to be empty by BIP147.
 */
const checkMultiSig: OpHandler = (vm, op) => {
  // BIP342: gone from tapscript (its key-by-key matching cannot be batch verified); CHECKSIGADD replaces it.
  if (vm.sigversion === SigVersion.TAPSCRIPT) return 'TAPSCRIPT_CHECKMULTISIG';
  const flags = vm.flags;
  let i = 1;
  if (vm.stack.length < i) return 'INVALID_STACK_OPERATION';
  let keysLeft = vm.num(-i);
  if (keysLeft === undefined) return 'UNKNOWN_ERROR';
  if (keysLeft < 0 || keysLeft > MAX_PUBKEYS_PER_MULTISIG) return 'PUBKEY_COUNT';
  // Each key counts against the 201-operation limit, executed or not.
  vm.opCount += keysLeft;
  if (vm.opCount > MAX_OPS_PER_SCRIPT) return 'OP_COUNT';
  let ikey = ++i;
  // Items above the signatures (N, the keys, M): NULLFAIL applies only below them.
  let aboveSigs = keysLeft + 2;
  i += keysLeft;
  if (vm.stack.length < i) return 'INVALID_STACK_OPERATION';
  let sigsLeft = vm.num(-i);
  if (sigsLeft === undefined) return 'UNKNOWN_ERROR';
  if (sigsLeft < 0 || sigsLeft > keysLeft) return 'SIG_COUNT';
  let isig = ++i;
  i += sigsLeft;
  if (vm.stack.length < i) return 'INVALID_STACK_OPERATION';

  const sigs: Uint8Array[] = [];
  for (let k = 0; k < sigsLeft; k++) sigs.push(vm.top(-isig - k));
  const scriptCode = scriptCodeFor(vm, sigs);
  if (scriptCode === null) return 'SIG_FINDANDDELETE';

  let ok = true;
  while (ok && sigsLeft > 0) {
    const sig = vm.top(-isig);
    const pubkey = vm.top(-ikey);
    // Encodings are checked only for pairs actually tried: a bad key after the last needed
    // signature is never looked at (consensus behaviour).
    const encodingError =
      checkSignatureEncoding(sig, flags) ?? checkPubKeyEncoding(pubkey, flags, vm.sigversion);
    if (encodingError !== null) return encodingError;
    if (vm.checker.checkEcdsaSignature(sig, pubkey, scriptCode, vm.sigversion)) {
      isig++;
      sigsLeft--;
    }
    ikey++;
    keysLeft--;
    // More signatures left than keys: they can no longer all match.
    if (sigsLeft > keysLeft) ok = false;
  }

  // Pop everything but the dummy, refusing a non-empty signature after a failure (BIP146).
  while (i-- > 1) {
    if (!ok && flags & ScriptFlags.NULLFAIL && aboveSigs === 0 && vm.top(-1).length > 0) return 'NULLFAIL';
    if (aboveSigs > 0) aboveSigs--;
    vm.pop();
  }
  // The dummy: Core checks for it after the others, so a short stack fails only here.
  if (vm.stack.length < 1) return 'INVALID_STACK_OPERATION';
  if (flags & ScriptFlags.NULLDUMMY && vm.top(-1).length > 0) return 'SIG_NULLDUMMY';
  vm.pop();
  if (op === Op.OP_CHECKMULTISIGVERIFY) return ok ? null : 'CHECKMULTISIGVERIFY';
  vm.push(ok ? TRUE_BYTES : EMPTY_BYTES);
  return null;
};

export const signatureOps: OpFamily = [
  [Op.OP_CHECKSIG, checkSig],
  [Op.OP_CHECKSIGVERIFY, checkSig],
  [Op.OP_CHECKMULTISIG, checkMultiSig],
  [Op.OP_CHECKMULTISIGVERIFY, checkMultiSig],
];
