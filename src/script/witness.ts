import { sha256 } from '../crypto/hash.js';
import { equalBytes } from '../encoding/bytes.js';
import type { SignatureChecker } from './checker.js';
import type { ScriptError } from './errors.js';
import { executeWitnessScript } from './eval.js';
import { ScriptFlags } from './flags.js';
import { Op } from './opcodes.js';
import { SigVersion } from './sigversion.js';
import { verifyTaprootSpend } from './taproot-spend.js';

/** Core's VerifyWitnessProgram for the program found in scriptPubKey or a P2SH redeem script. */
export function verifyWitnessProgram(
  witness: readonly Uint8Array[],
  version: number,
  program: Uint8Array,
  flags: number,
  checker: SignatureChecker,
  isP2sh: boolean,
): ScriptError {
  if (version === 0) {
    if (program.length === 32) {
      // P2WSH: the last witness item is the script, committed to by its single SHA256.
      if (witness.length === 0) return 'WITNESS_PROGRAM_WITNESS_EMPTY';
      const script = witness[witness.length - 1]!;
      if (!equalBytes(sha256(script), program)) return 'WITNESS_PROGRAM_MISMATCH';
      return executeWitnessScript(witness.slice(0, -1), script, flags, checker, SigVersion.WITNESS_V0);
    }
    if (program.length === 20) {
      // P2WPKH: exactly [sig pubkey], run against the implied P2PKH script.
      if (witness.length !== 2) return 'WITNESS_PROGRAM_MISMATCH';
      const script = new Uint8Array(25);
      script.set([Op.OP_DUP, Op.OP_HASH160, 20], 0);
      script.set(program, 3);
      script.set([Op.OP_EQUALVERIFY, Op.OP_CHECKSIG], 23);
      return executeWitnessScript(witness.slice(), script, flags, checker, SigVersion.WITNESS_V0);
    }
    return 'WITNESS_PROGRAM_WRONG_LENGTH';
  }
  if (version === 1 && program.length === 32 && !isP2sh) {
    // BIP341 taproot. Before activation (no TAPROOT flag) it is anyone-can-spend, and Core returns
    // success here without looking at DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM.
    if (!(flags & ScriptFlags.TAPROOT)) return 'OK';
    return verifyTaprootSpend(witness, program, flags, checker);
  }
  // Unknown versions (and P2SH-wrapped v1) are anyone-can-spend: room for soft forks.
  if (flags & ScriptFlags.DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM)
    return 'DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM';
  return 'OK';
}
