/** `codeSeparatorPos` before any OP_CODESEPARATOR has run: 0xffffffff, as BIP342 specifies. */
export const NO_CODESEPARATOR = 0xffffffff;

/**
 * Core's ScriptExecutionData: what a taproot spend's signature checks commit to besides the
 * transaction, and the BIP342 signature budget. One instance per input spend: the key path fills
 * the annex only; the script path adds the leaf hash and the budget, and the interpreter keeps
 * `codeSeparatorPos` current while the leaf script runs.
 */
export class ScriptExecutionData {
  /** SHA256 of the annex with its compact-size prefix (BIP341 sha_annex); undefined without annex. */
  annexHash: Uint8Array | undefined = undefined;
  /** BIP341 tapleaf hash of the executing leaf (script path only). */
  tapleafHash: Uint8Array | undefined = undefined;
  /** Opcode index (pushes included) of the last executed OP_CODESEPARATOR in the leaf script. */
  codeSeparatorPos = NO_CODESEPARATOR;
  /**
   * BIP342's budget: 50 plus the serialized witness size, minus 50 per non-empty signature
   * checked. It bounds signature checks by witness bytes, which the block weight already prices.
   */
  validationWeightLeft = 0;
  /** sha_single_output, computed on the first SIGHASH_SINGLE check and reused (Core caches it too). */
  outputHash: Uint8Array | undefined = undefined;
}
