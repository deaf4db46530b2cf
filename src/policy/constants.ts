import { ScriptFlags } from '../script/flags.js';

/**
 * Relay policy constants and defaults, as Bitcoin Core v29 sets them (policy/policy.h,
 * policy/truc_policy.h, policy/rbf.h, kernel/mempool_options.h). They decide what we relay and
 * keep, never what is valid: a block may contain anything consensus allows.
 *
 * Where Core v30 changed a default (minrelaytxfee and incrementalrelayfee 100 sat/kvB, OP_RETURN
 * size and count unlimited, the BIP54 legacy sigop cap) we keep v29's values, which the node's
 * issue tracker specifies; every one of them is an option of the Mempool.
 */

/** Transactions heavier than this are not relayed: sighashing is O(inputs * size) (CPU DoS). */
export const MAX_STANDARD_TX_WEIGHT = 400_000;
/** Below 65 stripped bytes a transaction could pose as a 64-byte Merkle inner node (CVE-2017-12842). */
export const MIN_STANDARD_TX_NONWITNESS_SIZE = 65;
/** Redeem scripts with more (accurately counted) sigops are not standard to spend. */
export const MAX_P2SH_SIGOPS = 15;
/** A fifth of the block limit (MAX_BLOCK_SIGOPS_COST / 5). */
export const MAX_STANDARD_TX_SIGOPS_COST = 16_000;
/**
 * The largest standard scriptSig: a 15-of-15 P2SH multisig with compressed keys needs 1,627
 * bytes; Core rounds up for future-proofing.
 */
export const MAX_STANDARD_SCRIPTSIG_SIZE = 1650;
/** P2WSH limits: enough for n-of-100 multisig built from CHECKSIG/ADD/EQUAL. */
export const MAX_STANDARD_P2WSH_STACK_ITEMS = 100;
export const MAX_STANDARD_P2WSH_STACK_ITEM_SIZE = 80;
export const MAX_STANDARD_P2WSH_SCRIPT_SIZE = 3600;
/** Per-item limit for tapscript (leaf version 0xc0) stacks. */
export const MAX_STANDARD_TAPSCRIPT_STACK_ITEM_SIZE = 80;
/** Bare multisig outputs are standard up to 3 keys. */
export const MAX_STANDARD_BARE_MULTISIG_KEYS = 3;
/** Core's TX_MAX_STANDARD_VERSION: version 3 (TRUC, BIP431) is standard since v28. */
export const TX_MAX_STANDARD_VERSION = 3;
/** Ephemeral dust (v29): one dust output is allowed in a zero-fee transaction. */
export const MAX_DUST_OUTPUTS_PER_TX = 1;

/** Default -dustrelayfee in sat/kvB: 546 sat for P2PKH outputs, 294 for P2WPKH. */
export const DUST_RELAY_TX_FEE = 3000;
/** Default -minrelaytxfee in sat/kvB. */
export const DEFAULT_MIN_RELAY_TX_FEE = 1000;
/** Default -incrementalrelayfee in sat/kvB: the step of RBF bumps and of the rolling minimum fee. */
export const DEFAULT_INCREMENTAL_RELAY_FEE = 1000;
/** Default -blockmintxfee in sat/kvB: packages below it do not go into block templates. */
export const DEFAULT_BLOCK_MIN_TX_FEE = 1000;
/** Default -bytespersigop: a sigop-heavy transaction is priced as if it were this many vbytes per sigop. */
export const DEFAULT_BYTES_PER_SIGOP = 20;
/** Default -datacarriersize: 80 bytes of data + OP_RETURN + a PUSHDATA1 header. */
export const MAX_OP_RETURN_RELAY = 83;
/** Default -permitbaremultisig. */
export const DEFAULT_PERMIT_BAREMULTISIG = true;

/** Default -limitancestorcount / -limitdescendantcount (each count includes the transaction). */
export const DEFAULT_ANCESTOR_LIMIT = 25;
export const DEFAULT_DESCENDANT_LIMIT = 25;
/** Default -limitancestorsize / -limitdescendantsize in kvB (virtual kilobytes). */
export const DEFAULT_ANCESTOR_SIZE_LIMIT_KVB = 101;
export const DEFAULT_DESCENDANT_SIZE_LIMIT_KVB = 101;
/** CPFP carve-out: one more small child (≤ this many vbytes) of a single-ancestor parent. */
export const EXTRA_DESCENDANT_TX_SIZE_LIMIT = 10_000;

/** Default -maxmempool in MB. */
export const DEFAULT_MAX_MEMPOOL_SIZE_MB = 300;
/** Default -mempoolexpiry: transactions older than 336 hours (two weeks) are dropped. */
export const DEFAULT_MEMPOOL_EXPIRY_HOURS = 336;
/** BIP125 rule 5: a replacement may evict at most this many transactions. */
export const MAX_BIP125_REPLACEMENT_CANDIDATES = 100;
/** BIP125: nSequence at or below this signals replaceability. */
export const MAX_BIP125_RBF_SEQUENCE = 0xfffffffd;

/** BIP431 (TRUC, "version 3") topology and size limits. */
export const TRUC_VERSION = 3;
export const TRUC_ANCESTOR_LIMIT = 2;
export const TRUC_DESCENDANT_LIMIT = 2;
export const TRUC_MAX_VSIZE = 10_000;
export const TRUC_CHILD_MAX_VSIZE = 1_000;

/** Orphan pool (Core's TxOrphanage): 100 transactions, dropped after 20 minutes. */
export const DEFAULT_MAX_ORPHAN_TRANSACTIONS = 100;
export const ORPHAN_TX_EXPIRE_TIME = 20 * 60;
/** Orphans are swept for expiry at most this often. */
export const ORPHAN_TX_EXPIRE_INTERVAL = 5 * 60;

/**
 * Core's MANDATORY_SCRIPT_VERIFY_FLAGS (v28+): every soft fork's flag. A failure under these alone
 * is a consensus failure (TX_CONSENSUS, `mandatory-script-verify-flag-failed`).
 */
export const MANDATORY_SCRIPT_VERIFY_FLAGS =
  ScriptFlags.P2SH |
  ScriptFlags.DERSIG |
  ScriptFlags.NULLDUMMY |
  ScriptFlags.CHECKLOCKTIMEVERIFY |
  ScriptFlags.CHECKSEQUENCEVERIFY |
  ScriptFlags.WITNESS |
  ScriptFlags.TAPROOT;

/**
 * Core's STANDARD_SCRIPT_VERIFY_FLAGS: the mandatory flags plus the malleability and upgrade-safety
 * rules standard transactions follow. Scripts violating only these may still appear in valid blocks.
 */
export const STANDARD_SCRIPT_VERIFY_FLAGS =
  MANDATORY_SCRIPT_VERIFY_FLAGS |
  ScriptFlags.STRICTENC |
  ScriptFlags.MINIMALDATA |
  ScriptFlags.DISCOURAGE_UPGRADABLE_NOPS |
  ScriptFlags.CLEANSTACK |
  ScriptFlags.MINIMALIF |
  ScriptFlags.NULLFAIL |
  ScriptFlags.LOW_S |
  ScriptFlags.DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM |
  ScriptFlags.WITNESS_PUBKEYTYPE |
  ScriptFlags.CONST_SCRIPTCODE |
  ScriptFlags.DISCOURAGE_UPGRADABLE_TAPROOT_VERSION |
  ScriptFlags.DISCOURAGE_OP_SUCCESS |
  ScriptFlags.DISCOURAGE_UPGRADABLE_PUBKEYTYPE;

/** Standard but not mandatory: a failure under these alone is TX_NOT_STANDARD. */
export const STANDARD_NOT_MANDATORY_VERIFY_FLAGS =
  STANDARD_SCRIPT_VERIFY_FLAGS & ~MANDATORY_SCRIPT_VERIFY_FLAGS;
