import { sha256, taggedHash } from '../crypto/hash.js';
import { publicKeyTweakAdd } from '../crypto/secp256k1.js';
import { compareBytes, equalBytes } from '../encoding/bytes.js';
import { Op } from './opcodes.js';

/**
 * BIP341 commitments: leaf and branch hashes, the key tweak, the control block check, and
 * BIP342's OP_SUCCESSx set. Constants are Core's (script/interpreter.h).
 */

/** The leaf version bits of a control block's first byte; the low bit is the output key's parity. */
export const TAPROOT_LEAF_MASK = 0xfe;
/** BIP342 tapscript, the one leaf version with defined semantics; others are anyone-can-spend. */
export const TAPROOT_LEAF_TAPSCRIPT = 0xc0;
/** Control block: 1 byte (leaf version | parity) + 32-byte internal key + 32 bytes per tree level. */
export const TAPROOT_CONTROL_BASE_SIZE = 33;
export const TAPROOT_CONTROL_NODE_SIZE = 32;
export const TAPROOT_CONTROL_MAX_NODE_COUNT = 128;
export const TAPROOT_CONTROL_MAX_SIZE =
  TAPROOT_CONTROL_BASE_SIZE + TAPROOT_CONTROL_NODE_SIZE * TAPROOT_CONTROL_MAX_NODE_COUNT;
/** First byte of the annex, the optional last witness item (BIP341); 0x50 is never a valid control byte. */
export const ANNEX_TAG = 0x50;
/** BIP342: each non-empty signature checked costs 50 of the budget, which starts at 50 + witness size. */
export const VALIDATION_WEIGHT_PER_SIGOP_PASSED = 50;
export const VALIDATION_WEIGHT_OFFSET = 50;

const EMPTY = new Uint8Array(0);

/** The compact-size length prefix of `n` bytes, as Core's CompactSizeWriter writes it. */
function compactSizePrefix(n: number): Uint8Array {
  if (n < 0xfd) return Uint8Array.of(n);
  if (n <= 0xffff) return Uint8Array.of(0xfd, n & 0xff, n >>> 8);
  return Uint8Array.of(0xfe, n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, n >>> 24);
}

/** BIP341 tapleaf hash: TaggedHash("TapLeaf", leaf_version || compact_size(script) || script). */
export function tapleafHash(leafVersion: number, script: Uint8Array): Uint8Array {
  return taggedHash('TapLeaf', Uint8Array.of(leafVersion), compactSizePrefix(script.length), script);
}

/** BIP341 branch hash: the two children in lexicographic order, so a path need not say which side. */
export function tapbranchHash(a: Uint8Array, b: Uint8Array): Uint8Array {
  return compareBytes(a, b) <= 0 ? taggedHash('TapBranch', a, b) : taggedHash('TapBranch', b, a);
}

/** SHA256 of the annex as serialized (compact-size length first): BIP341's sha_annex. */
export function annexHash(annex: Uint8Array): Uint8Array {
  const prefix = compactSizePrefix(annex.length);
  const out = new Uint8Array(prefix.length + annex.length);
  out.set(prefix, 0);
  out.set(annex, prefix.length);
  return sha256(out);
}

/** BIP341 TapTweak of an internal key; no Merkle root means a key-path-only output. */
export function tapTweakHash(internalKey: Uint8Array, merkleRoot?: Uint8Array): Uint8Array {
  return taggedHash('TapTweak', internalKey, merkleRoot ?? EMPTY);
}

/**
 * The output key Q = P + t·G for x-only internal key P (BIP341 taproot_tweak_pubkey), with Q's
 * y parity, which a script-path control block must state. Null when P is not a valid x coordinate
 * or the tweak is unusable (t >= n, or Q at infinity; both negligibly unlikely).
 */
export function taprootTweakPublicKey(
  internalKey: Uint8Array,
  merkleRoot?: Uint8Array,
): { outputKey: Uint8Array; parity: number } | null {
  if (internalKey.length !== 32) return null;
  const even = new Uint8Array(33);
  even[0] = 0x02; // lift_x: the point with this x and even y
  even.set(internalKey, 1);
  const q = publicKeyTweakAdd(even, tapTweakHash(internalKey, merkleRoot), true);
  if (q === null) return null;
  return { outputKey: q.subarray(1), parity: q[0]! & 1 };
}

/** The Merkle root a control block proves for a leaf: the leaf hashed up its path (Core's ComputeTaprootMerkleRoot). */
export function taprootMerkleRoot(control: Uint8Array, leafHash: Uint8Array): Uint8Array {
  let k = leafHash;
  for (let at = TAPROOT_CONTROL_BASE_SIZE; at < control.length; at += TAPROOT_CONTROL_NODE_SIZE) {
    k = tapbranchHash(k, control.subarray(at, at + TAPROOT_CONTROL_NODE_SIZE));
  }
  return k;
}

/**
 * Core's VerifyTaprootCommitment: the control block's internal key, tweaked with the Merkle root
 * it proves for this leaf, must give the output key `program` with the parity the control block
 * states (libsecp256k1's xonly_pubkey_tweak_add_check). The size was checked by the caller.
 */
export function verifyTaprootCommitment(
  control: Uint8Array,
  program: Uint8Array,
  leafHash: Uint8Array,
): boolean {
  const tweaked = taprootTweakPublicKey(
    control.subarray(1, TAPROOT_CONTROL_BASE_SIZE),
    taprootMerkleRoot(control, leafHash),
  );
  return tweaked !== null && tweaked.parity === (control[0]! & 1) && equalBytes(tweaked.outputKey, program);
}

/**
 * BIP342 OP_SUCCESSx: 80, 98, 126-129, 131-134, 137-138, 141-142, 149-153, 187-254. Any of them
 * anywhere in a leaf script makes the spend valid unconditionally, so soft forks can give them
 * meaning. (0xba is OP_CHECKSIGADD, 0xff stays invalid.)
 */
const OP_SUCCESS: readonly boolean[] = (() => {
  const table = new Array<boolean>(256).fill(false);
  const ranges: [number, number][] = [
    [Op.OP_RESERVED, Op.OP_RESERVED],
    [Op.OP_VER, Op.OP_VER],
    [Op.OP_CAT, Op.OP_RIGHT],
    [Op.OP_INVERT, Op.OP_XOR],
    [Op.OP_RESERVED1, Op.OP_RESERVED2],
    [Op.OP_2MUL, Op.OP_2DIV],
    [Op.OP_MUL, Op.OP_RSHIFT],
    [0xbb, 0xfe],
  ];
  for (const [from, to] of ranges) for (let op = from; op <= to; op++) table[op] = true;
  return table;
})();

export function isOpSuccess(op: number): boolean {
  return OP_SUCCESS[op] === true;
}
