import type { Transaction } from '../../primitives/transaction.js';
import type { TxOut } from '../../primitives/txout.js';
import type {
  Bip32Derivation,
  PartialSig,
  Preimage,
  PreimageKind,
  RawRecord,
  TapBip32Derivation,
  TapLeafScript,
  TapScriptSig,
} from './types.js';

/**
 * One input map of a PSBT. Fields are plain and mutable: the roles (updater, signer, finalizer,
 * combiner) edit them in place, and the codec writes them in Bitcoin Core's order whatever the
 * order they were added in, so two implementations produce the same bytes for the same content.
 */
export class PsbtInput {
  /** PSBT_IN_NON_WITNESS_UTXO: the whole previous transaction. */
  nonWitnessUtxo: Transaction | undefined;
  /** PSBT_IN_WITNESS_UTXO: only the output being spent (enough for BIP143 and BIP341). */
  witnessUtxo: TxOut | undefined;
  partialSigs: PartialSig[] = [];
  /** PSBT_IN_SIGHASH_TYPE, as the uint32 it is serialized as. */
  sighashType: number | undefined;
  redeemScript: Uint8Array | undefined;
  witnessScript: Uint8Array | undefined;
  bip32Derivations: Bip32Derivation[] = [];
  finalScriptSig: Uint8Array | undefined;
  finalScriptWitness: Uint8Array[] | undefined;
  /** PSBT_IN_POR_COMMITMENT (BIP127 proof of reserves): a UTF-8 message, kept as bytes. */
  porCommitment: Uint8Array | undefined;
  preimages: Record<PreimageKind, Preimage[]> = { ripemd160: [], sha256: [], hash160: [], hash256: [] };
  tapKeySig: Uint8Array | undefined;
  tapScriptSigs: TapScriptSig[] = [];
  tapLeafScripts: TapLeafScript[] = [];
  tapBip32Derivations: TapBip32Derivation[] = [];
  tapInternalKey: Uint8Array | undefined;
  tapMerkleRoot: Uint8Array | undefined;
  /** Type 0xfc records, kept as bytes. */
  proprietary: RawRecord[] = [];
  /** Records of types this code does not know, kept as bytes. */
  unknown: RawRecord[] = [];

  /** Core's PSBTInputSigned: a finalized input carries a final scriptSig or witness. */
  isFinalized(): boolean {
    return this.finalScriptSig !== undefined || this.finalScriptWitness !== undefined;
  }

  /** Core's PSBTInput::HasSignatures. */
  hasSignatures(): boolean {
    return (
      this.isFinalized() ||
      this.partialSigs.length > 0 ||
      this.tapKeySig !== undefined ||
      this.tapScriptSigs.length > 0
    );
  }

  /**
   * What the input finalizer must remove once final scripts exist (BIP174 "Input Finalizer": all
   * data except the UTXOs and unknown or proprietary fields). The proof-of-reserves commitment is
   * kept too: it is not signing data but the message the finished proof commits to, and Core,
   * which does not know the type, passes it through as unknown.
   */
  clearSigningData(): void {
    this.partialSigs = [];
    this.sighashType = undefined;
    this.redeemScript = undefined;
    this.witnessScript = undefined;
    this.bip32Derivations = [];
    this.preimages = { ripemd160: [], sha256: [], hash160: [], hash256: [] };
    this.tapKeySig = undefined;
    this.tapScriptSigs = [];
    this.tapLeafScripts = [];
    this.tapBip32Derivations = [];
    this.tapInternalKey = undefined;
    this.tapMerkleRoot = undefined;
  }
}
