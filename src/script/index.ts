/** The script layer: opcodes, parsing, the interpreter, signature hashing, templates, addresses. */
export { type AddressPrefixes, AddressError, addressFromScript, scriptFromAddress } from './address.js';
export { AsmParseError, parseAsm, toAsm } from './asm.js';
export {
  type EcdsaVerify,
  LOCKTIME_THRESHOLD,
  type SchnorrVerify,
  SEQUENCE_LOCKTIME_DISABLE_FLAG,
  SEQUENCE_LOCKTIME_MASK,
  SEQUENCE_LOCKTIME_TYPE_FLAG,
  type SignatureChecker,
  SigVersion,
  TransactionSignatureChecker,
} from './checker.js';
export { buildCreditingTransaction, buildSpendingTransaction } from './credit-spend.js';
export { isScriptError, SCRIPT_ERRORS, type ScriptError, scriptErrorMessage } from './errors.js';
export { NO_CODESEPARATOR, ScriptExecutionData } from './execdata.js';
export {
  parseScriptFlags,
  type ScriptFlagName,
  ScriptFlags,
  ScriptFlagsError,
  scriptFlagNames,
} from './flags.js';
export { evalScript, verifyScript } from './interpreter.js';
export { DISABLED_OPCODES, decodeOpN, encodeOpN, Op, type OpName, opcodeName } from './opcodes.js';
export { PrecomputedTransactionData } from './precomputed.js';
export {
  checkMinimalPush,
  encodeScript,
  findAndDelete,
  isPayToScriptHash,
  isPushOnly,
  isUnspendable,
  isWitnessProgram,
  MAX_OPS_PER_SCRIPT,
  MAX_PUBKEYS_PER_MULTISIG,
  MAX_SCRIPT_ELEMENT_SIZE,
  MAX_SCRIPT_SIZE,
  MAX_STACK_SIZE,
  parseScript,
  pushData,
  pushInt,
  ScriptBuilder,
  ScriptCursor,
  type ScriptOp,
} from './script.js';
export { castToBool, decodeScriptNum, encodeScriptNum } from './script-num.js';
export { SighashType, signatureHashLegacy, signatureHashWitnessV0 } from './sighash.js';
export { SIGHASH_DEFAULT, signatureHashTaproot, taprootSigMsg } from './sighash-taproot.js';
export {
  checkPubKeyEncoding,
  checkSignatureEncoding,
  isCompressedOrUncompressedPubKey,
  isCompressedPubKey,
  isDefinedSighashSignature,
} from './sig-encoding.js';
export { countWitnessSigOps, getP2SHSigOpCount, getSigOpCount } from './sigops.js';
export {
  type ClassifiedScript,
  classifyScript,
  multisig,
  nullData,
  p2pk,
  p2pkh,
  p2sh,
  p2shOfScript,
  p2tr,
  p2wpkh,
  p2wsh,
  p2wshOfScript,
  type ScriptType,
  witnessProgram,
} from './templates.js';
export {
  ANNEX_TAG,
  annexHash,
  isOpSuccess,
  TAPROOT_CONTROL_BASE_SIZE,
  TAPROOT_CONTROL_MAX_NODE_COUNT,
  TAPROOT_CONTROL_MAX_SIZE,
  TAPROOT_CONTROL_NODE_SIZE,
  TAPROOT_LEAF_MASK,
  TAPROOT_LEAF_TAPSCRIPT,
  tapbranchHash,
  tapleafHash,
  taprootMerkleRoot,
  taprootTweakPublicKey,
  tapTweakHash,
  VALIDATION_WEIGHT_OFFSET,
  VALIDATION_WEIGHT_PER_SIGOP_PASSED,
  verifyTaprootCommitment,
} from './taproot.js';
export {
  buildTapTree,
  type TapLeaf,
  type TapLeafInfo,
  type TapTree,
  type TaprootOutput,
  taprootControlBlock,
  taprootOutput,
} from './taproot-tree.js';
