import { parseDerLax } from '../crypto/der.js';
import { ecdsaVerifyCompact, schnorrVerify as bip340Verify } from '../crypto/secp256k1.js';
import type { Transaction } from '../primitives/transaction.js';
import { SEQUENCE_FINAL } from '../primitives/txin.js';
import type { ScriptError } from './errors.js';
import type { ScriptExecutionData } from './execdata.js';
import { PrecomputedTransactionData } from './precomputed.js';
import { signatureHashLegacy, signatureHashWitnessV0 } from './sighash.js';
import { SIGHASH_DEFAULT, signatureHashTaproot } from './sighash-taproot.js';
import { SigVersion } from './sigversion.js';

export { SigVersion } from './sigversion.js';

/**
 * What the interpreter asks of the transaction it runs in. Passing it in keeps the VM free of
 * transactions, so it can be fuzzed and unit-tested with a stub (btcd's txscript does the same).
 */
export interface SignatureChecker {
  /** `sig` is DER plus the hashtype byte; false for anything that does not verify. */
  checkEcdsaSignature(
    sig: Uint8Array,
    pubkey: Uint8Array,
    scriptCode: Uint8Array,
    sigversion: SigVersion,
  ): boolean;
  /**
   * BIP340/341 signature check for the key path (TAPROOT) or a tapscript opcode (TAPSCRIPT):
   * `sig` is 64 bytes, or 65 with an explicit hashtype; `pubkey` is 32 bytes (x-only). Unlike
   * ECDSA, every failure ends the script, so this returns 'OK' or the error: SCHNORR_SIG_SIZE,
   * SCHNORR_SIG_HASHTYPE or SCHNORR_SIG (Core's CheckSchnorrSignature).
   */
  checkSchnorrSignature(
    sig: Uint8Array,
    pubkey: Uint8Array,
    sigversion: SigVersion,
    execdata: ScriptExecutionData,
  ): ScriptError;
  /** BIP65: `n` is a non-negative script number of at most 5 bytes. */
  checkLockTime(n: number): boolean;
  /** BIP112: `n` is a non-negative script number of at most 5 bytes without the disable bit. */
  checkSequence(n: number): boolean;
}

/** The raw curve check, swappable so block validation can batch it onto worker threads. */
export type EcdsaVerify = (sig64: Uint8Array, msg32: Uint8Array, pubkey: Uint8Array) => boolean;

/** The raw BIP340 check, swappable like EcdsaVerify. */
export type SchnorrVerify = (sig64: Uint8Array, msg32: Uint8Array, xonly32: Uint8Array) => boolean;

/** nLockTime below this is a block height, at or above it a Unix time. */
export const LOCKTIME_THRESHOLD = 500_000_000;
/** BIP68 nSequence fields. */
export const SEQUENCE_LOCKTIME_DISABLE_FLAG = 0x80000000;
export const SEQUENCE_LOCKTIME_TYPE_FLAG = 1 << 22;
export const SEQUENCE_LOCKTIME_MASK = 0x0000ffff;

/** Low 32 bits of a non-negative number below 2^53 (script numbers here are below 2^40). */
const low32 = (n: number): number => n % 0x100000000;

/** Core's CPubKey(vch).IsValid(): the length the header byte promises (hybrid 06/07 included). */
function hasValidPubkeySize(pubkey: Uint8Array): boolean {
  const header = pubkey[0];
  if (header === 2 || header === 3) return pubkey.length === 33;
  if (header === 4 || header === 6 || header === 7) return pubkey.length === 65;
  return false;
}

/**
 * Core's GenericTransactionSignatureChecker: signatures, lock times and sequences of input
 * `inputIndex` of `tx`, which spends an output of `amount` satoshis (only BIP143 commits to it).
 * Taproot signatures commit to every spent output, so they need `txdata` built with them; without
 * them every Schnorr check fails with SCHNORR_SIG_HASHTYPE (Core's MissingDataBehavior::FAIL).
 */
export class TransactionSignatureChecker implements SignatureChecker {
  private readonly txdata: PrecomputedTransactionData;

  constructor(
    readonly tx: Transaction,
    readonly inputIndex: number,
    readonly amount: number,
    txdata?: PrecomputedTransactionData,
    private readonly ecdsaVerify: EcdsaVerify = ecdsaVerifyCompact,
    private readonly schnorrVerify: SchnorrVerify = bip340Verify,
  ) {
    this.txdata = txdata ?? new PrecomputedTransactionData(tx);
  }

  checkEcdsaSignature(
    sig: Uint8Array,
    pubkey: Uint8Array,
    scriptCode: Uint8Array,
    sigversion: SigVersion,
  ): boolean {
    if (!hasValidPubkeySize(pubkey)) return false;
    if (sig.length === 0) return false;
    // Lax DER, as Core verifies: pre-BIP66 blocks hold signatures strict DER would refuse. Parsed
    // before hashing only because it is cheaper; either order gives the same answer.
    const sig64 = parseDerLax(sig, sig.length - 1);
    if (sig64 === null) return false;
    const hashType = sig[sig.length - 1]!;
    const sighash =
      sigversion === SigVersion.WITNESS_V0
        ? signatureHashWitnessV0(scriptCode, this.tx, this.inputIndex, hashType, this.amount, this.txdata)
        : signatureHashLegacy(scriptCode, this.tx, this.inputIndex, hashType, this.txdata);
    return this.ecdsaVerify(sig64, sighash, pubkey);
  }

  checkSchnorrSignature(
    sig: Uint8Array,
    pubkey: Uint8Array,
    sigversion: SigVersion,
    execdata: ScriptExecutionData,
  ): ScriptError {
    // Tapscript handles the empty signature before calling this; anywhere else it is just a bad size.
    if (sig.length !== 64 && sig.length !== 65) return 'SCHNORR_SIG_SIZE';
    let hashType = SIGHASH_DEFAULT;
    let sig64 = sig;
    if (sig.length === 65) {
      hashType = sig[64]!;
      // An explicit 0x00 would be a second encoding of the 64-byte form: malleable, so invalid.
      if (hashType === SIGHASH_DEFAULT) return 'SCHNORR_SIG_HASHTYPE';
      sig64 = sig.subarray(0, 64);
    }
    const sighash = signatureHashTaproot(
      this.tx,
      this.inputIndex,
      hashType,
      sigversion,
      this.txdata,
      execdata,
    );
    if (sighash === null) return 'SCHNORR_SIG_HASHTYPE';
    return this.schnorrVerify(sig64, sighash, pubkey) ? 'OK' : 'SCHNORR_SIG';
  }

  checkLockTime(n: number): boolean {
    const txLockTime = this.tx.locktime;
    // Heights compare only with heights and times only with times.
    const txIsHeight = txLockTime < LOCKTIME_THRESHOLD;
    const isHeight = n < LOCKTIME_THRESHOLD;
    if (txIsHeight !== isHeight) return false;
    if (n > txLockTime) return false;
    // A final input makes nLockTime ineffective, so the lock would not be enforced: refuse (BIP65).
    if (this.tx.inputs[this.inputIndex]!.sequence === SEQUENCE_FINAL) return false;
    return true;
  }

  checkSequence(n: number): boolean {
    const txSequence = this.tx.inputs[this.inputIndex]!.sequence;
    // BIP68 relative locks only exist from version 2 on (compared unsigned, as Core does).
    if (this.tx.version >>> 0 < 2) return false;
    if (txSequence & SEQUENCE_LOCKTIME_DISABLE_FLAG) return false;
    const mask = SEQUENCE_LOCKTIME_TYPE_FLAG | SEQUENCE_LOCKTIME_MASK;
    const txMasked = txSequence & mask;
    const masked = low32(n) & mask;
    // Blocks compare only with blocks and time only with time.
    const txIsBlocks = txMasked < SEQUENCE_LOCKTIME_TYPE_FLAG;
    const isBlocks = masked < SEQUENCE_LOCKTIME_TYPE_FLAG;
    if (txIsBlocks !== isBlocks) return false;
    return masked <= txMasked;
  }
}
