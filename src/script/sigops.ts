import { ScriptFlags } from './flags.js';
import { decodeOpN, Op } from './opcodes.js';
import {
  isPayToScriptHash,
  isPushOnly,
  isWitnessProgram,
  MAX_PUBKEYS_PER_MULTISIG,
  ScriptCursor,
} from './script.js';

/**
 * Signature-operation counting for the block sigop limits. These are consensus rules with all of
 * Core's quirks: counting stops silently at a malformed push, and CHECKMULTISIG counts 20 unless
 * `accurate` and preceded by OP_1..OP_16.
 */

/**
 * Block validation counts the sigops of every scriptSig and scriptPubKey twice (CheckBlock and
 * ConnectBlock): one cursor, reset per script, instead of ~5,300 per block 300025. Counting never
 * calls out, so the cursor is never in use twice at once.
 */
const cursor = new ScriptCursor(new Uint8Array(0));

/** Core's CScript::GetSigOpCount(fAccurate). */
export function getSigOpCount(script: Uint8Array, accurate: boolean): number {
  let n = 0;
  let lastOp: number = Op.OP_INVALIDOPCODE;
  const c = cursor.reset(script);
  while (c.next()) {
    const op = c.op;
    if (op === Op.OP_CHECKSIG || op === Op.OP_CHECKSIGVERIFY) {
      n++;
    } else if (op === Op.OP_CHECKMULTISIG || op === Op.OP_CHECKMULTISIGVERIFY) {
      n += accurate && lastOp >= Op.OP_1 && lastOp <= Op.OP_16 ? decodeOpN(lastOp) : MAX_PUBKEYS_PER_MULTISIG;
    }
    lastOp = op;
  }
  return n;
}

/**
 * The data of the last push of a push-only script (empty if the last op pushes a number opcode),
 * or null if the script is not push-only: the P2SH redeem script candidate.
 */
function lastPush(scriptSig: Uint8Array): Uint8Array | null {
  const c = new ScriptCursor(scriptSig);
  let data: Uint8Array = new Uint8Array(0);
  while (!c.done) {
    if (!c.next() || c.op > Op.OP_16) return null;
    data = c.data();
  }
  return data;
}

/**
 * Core's CScript::GetSigOpCount(scriptSig) as validation uses it: accurate sigops of the redeem
 * script when `scriptPubKey` is P2SH. Returns 0 when it is not P2SH (Core's caller checks that
 * first) or when the scriptSig is not push-only (such a spend fails anyway).
 */
export function getP2SHSigOpCount(scriptPubKey: Uint8Array, scriptSig: Uint8Array): number {
  if (!isPayToScriptHash(scriptPubKey)) return 0;
  const redeemScript = lastPush(scriptSig);
  return redeemScript === null ? 0 : getSigOpCount(redeemScript, true);
}

function witnessSigOps(version: number, program: Uint8Array, witness: readonly Uint8Array[]): number {
  if (version !== 0) return 0; // future versions define their own accounting (taproot: none)
  if (program.length === 20) return 1;
  if (program.length === 32 && witness.length > 0) return getSigOpCount(witness[witness.length - 1]!, true);
  return 0;
}

/** Core's CountWitnessSigOps: segwit v0 sigops of one input (each weighs 1, legacy ones 4). */
export function countWitnessSigOps(
  scriptSig: Uint8Array,
  scriptPubKey: Uint8Array,
  witness: readonly Uint8Array[],
  flags: number,
): number {
  if (!(flags & ScriptFlags.WITNESS)) return 0;
  const wp = isWitnessProgram(scriptPubKey);
  if (wp !== null) return witnessSigOps(wp.version, wp.program, witness);
  if (isPayToScriptHash(scriptPubKey) && isPushOnly(scriptSig)) {
    const redeemScript = lastPush(scriptSig);
    const nested = redeemScript === null ? null : isWitnessProgram(redeemScript);
    if (nested !== null) return witnessSigOps(nested.version, nested.program, witness);
  }
  return 0;
}
