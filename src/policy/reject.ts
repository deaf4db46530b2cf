import type { RejectReason } from '../consensus/reject.js';

/**
 * Bitcoin Core's mempool and policy reject reasons, verbatim (policy/policy.cpp IsStandardTx,
 * validation.cpp MemPoolAccept, policy/rbf.cpp, policy/truc_policy.cpp, policy/ephemeral_policy.cpp).
 * Consensus reasons stay in consensus/reject.ts (including `non-BIP68-final`, which it already
 * defines); a mempool rejection carries either kind.
 */
export const PolicyReject = {
  // IsStandardTx
  VERSION: 'version',
  TX_SIZE: 'tx-size',
  SCRIPTSIG_SIZE: 'scriptsig-size',
  SCRIPTSIG_NOT_PUSHONLY: 'scriptsig-not-pushonly',
  SCRIPTPUBKEY: 'scriptpubkey',
  BARE_MULTISIG: 'bare-multisig',
  DUST: 'dust',
  MULTI_OP_RETURN: 'multi-op-return',

  // MemPoolAccept::PreChecks
  COINBASE: 'coinbase',
  TX_SIZE_SMALL: 'tx-size-small',
  NON_FINAL: 'non-final',
  ALREADY_IN_MEMPOOL: 'txn-already-in-mempool',
  SAME_NONWITNESS_DATA_IN_MEMPOOL: 'txn-same-nonwitness-data-in-mempool',
  ALREADY_KNOWN: 'txn-already-known',
  MEMPOOL_CONFLICT: 'txn-mempool-conflict',
  NONSTANDARD_INPUTS: 'bad-txns-nonstandard-inputs',
  WITNESS_NONSTANDARD: 'bad-witness-nonstandard',
  TOO_MANY_SIGOPS: 'bad-txns-too-many-sigops',
  MIN_RELAY_FEE_NOT_MET: 'min relay fee not met',
  MEMPOOL_MIN_FEE_NOT_MET: 'mempool min fee not met',
  TOO_LONG_MEMPOOL_CHAIN: 'too-long-mempool-chain',
  TRUC_VIOLATION: 'TRUC-violation',
  SPENDS_CONFLICTING_TX: 'bad-txns-spends-conflicting-tx',
  MISSING_EPHEMERAL_SPENDS: 'missing-ephemeral-spends',
  MEMPOOL_FULL: 'mempool full',

  // ReplacementChecks (BIP125 rules as Core applies them under full RBF)
  INSUFFICIENT_FEE: 'insufficient fee',
  TOO_MANY_REPLACEMENTS: 'too many potential replacements',
  REPLACEMENT_ADDS_UNCONFIRMED: 'replacement-adds-unconfirmed',

  /** Prefix of `non-mandatory-script-verify-flag (<script error text>)` (TX_NOT_STANDARD). */
  NON_MANDATORY_SCRIPT_VERIFY_FLAG: 'non-mandatory-script-verify-flag',
} as const;

export type PolicyRejectReason =
  | (typeof PolicyReject)[keyof typeof PolicyReject]
  | RejectReason
  | `${typeof PolicyReject.NON_MANDATORY_SCRIPT_VERIFY_FLAG} (${string})`;

/** Core: strprintf("non-mandatory-script-verify-flag (%s)", ScriptErrorString(err)). */
export function nonMandatoryScriptReason(scriptErrorText: string): PolicyRejectReason {
  return `${PolicyReject.NON_MANDATORY_SCRIPT_VERIFY_FLAG} (${scriptErrorText})`;
}
