/**
 * BIP174 Partially Signed Bitcoin Transactions (version 0): the format and its roles, so several
 * parties (institutions, each with its own keys) can sign one payment without sharing keys.
 */
export { type InputAnalysis, analyzePsbt, type PsbtAnalysis, type PsbtRole } from './analyzer.js';
export { combinePsbts } from './combiner.js';
export {
  type CreatorInput,
  type CreatorOptions,
  type CreatorOutput,
  createPsbt,
  psbtFromTransaction,
} from './creator.js';
export { PSBT_ERROR_CODES, PsbtError, type PsbtErrorCode } from './errors.js';
export { type ExtractOptions, extractTransaction } from './extractor.js';
export {
  type FinalizeOptions,
  type FinalizeResult,
  finalizePsbt,
  type InputFinalizeResult,
  type InputFinalizeStatus,
} from './finalizer.js';
export { PsbtInput } from './input.js';
export { PsbtOutput } from './output.js';
export { Psbt } from './psbt.js';
export type { Missing } from './satisfier.js';
export {
  type EcdsaKey,
  type InputSignResult,
  type InputSignStatus,
  privateKeySigner,
  type SignOptions,
  signPsbt,
} from './signer.js';
export type { InputIssue } from './solver.js';
export {
  type Bip32Derivation,
  GlobalType,
  type GlobalXpub,
  InputType,
  type KeyOrigin,
  OutputType,
  type PartialSig,
  type Preimage,
  type PreimageKind,
  type RawRecord,
  type TapBip32Derivation,
  type TapLeafScript,
  type TapScriptSig,
  type TapTreeLeaf,
} from './types.js';
export { type UpdaterSources, updatePsbt } from './updater.js';
