/**
 * Checks a Merkle inclusion proof in the browser, step by step, so a person can see which part
 * holds: the branch hashes up to the header's Merkle root, the header meets its own target, the
 * header is the block the node reports at that height, and it links to the block below. Pure
 * functions: the chain facts (hashes at heights) come in as data, fetched by the caller.
 */
import type { TxProof } from '../api/types.js';
import { equalBytes, fromDisplayHex, fromHex, toDisplayHex, toHex } from './bytes.js';
import { HEADER_SIZE, hashToBigInt, parseHeader, targetFromBits } from './header.js';
import { hash256, merkleParent } from './sha256.js';

export type CheckId = 'format' | 'merkle-root' | 'proof-of-work' | 'block-hash' | 'chain-link';

export interface ProofCheck {
  id: CheckId;
  label: string;
  ok: boolean;
  detail: string;
}

/** One level of the branch: the running hash meets its sibling on the left or the right. */
export interface MerkleStep {
  level: number;
  /** Internal-order hex of the sibling and of the parent they hash to. */
  sibling: string;
  parent: string;
  /** Where the sibling sits: 'left' when the running hash is the right child at this level. */
  siblingSide: 'left' | 'right';
  /** The sibling equals the running hash on its left: Bitcoin's duplicated last node (CVE-2012-2459). */
  duplicate: boolean;
}

export interface ProofVerification {
  ok: boolean;
  checks: ProofCheck[];
  steps: MerkleStep[];
  /** Display hex of the computed root, the header's root and the header's hash (when computable). */
  computedRoot: string | null;
  headerRoot: string | null;
  headerHash: string | null;
}

/** What the node says its active chain holds, fetched by the caller (null: no block there). */
export interface ChainFacts {
  hashAtHeight: string | null;
  hashBelow: string | null;
}

const LABELS: Record<CheckId, string> = {
  format: 'Proof is well formed',
  'merkle-root': 'Merkle branch leads to the header’s Merkle root',
  'proof-of-work': 'Header hash meets the target its bits encode',
  'block-hash': 'Header is the block the node reports at that height',
  'chain-link': 'Header links to the previous block',
};

const check = (id: CheckId, ok: boolean, detail: string): ProofCheck => ({
  id,
  label: LABELS[id],
  ok,
  detail,
});

/** The proof's fields decoded, or the reason it cannot be checked at all. */
export function decodeProof(
  proof: TxProof,
):
  | { ok: true; leaf: Uint8Array<ArrayBuffer>; header: Uint8Array<ArrayBuffer>; branch: Uint8Array[] }
  | { ok: false; why: string } {
  const leaf = fromDisplayHex(proof.txid);
  if (leaf === null) return { ok: false, why: 'txid is not 64 hex characters' };
  const header = fromHex(proof.header);
  if (header === null || header.length !== HEADER_SIZE)
    return { ok: false, why: 'header is not 80 bytes of hex' };
  if (!Number.isInteger(proof.height) || proof.height < 0)
    return { ok: false, why: 'height is not a block height' };
  if (proof.branch.length > 32) return { ok: false, why: 'a branch has at most 32 levels' };
  const branch: Uint8Array[] = [];
  for (const [i, hex] of proof.branch.entries()) {
    const bytes = hex.length === 64 ? fromHex(hex) : null;
    if (bytes === null) return { ok: false, why: `branch[${i}] is not 64 hex characters` };
    branch.push(bytes);
  }
  // A tree of 2^k leaves has a k-step branch: a larger index names no leaf.
  if (!Number.isInteger(proof.index) || proof.index < 0 || proof.index >= 2 ** branch.length) {
    return { ok: false, why: `position ${proof.index} does not fit a ${branch.length}-level branch` };
  }
  return { ok: true, leaf, header, branch };
}

/** Hashes from the leaf up the branch; bit k of the index says which side the running hash is on. */
export async function walkBranch(
  leaf: Uint8Array,
  branch: readonly Uint8Array[],
  index: number,
): Promise<{ root: Uint8Array; steps: MerkleStep[] }> {
  let hash: Uint8Array = leaf;
  let pos = index;
  const steps: MerkleStep[] = [];
  for (const [level, sibling] of branch.entries()) {
    const right = (pos & 1) === 1;
    const duplicate = right && equalBytes(sibling, hash);
    const parent = right ? await merkleParent(sibling, hash) : await merkleParent(hash, sibling);
    steps.push({
      level,
      sibling: toHex(sibling),
      parent: toHex(parent),
      siblingSide: right ? 'left' : 'right',
      duplicate,
    });
    hash = parent;
    pos = Math.floor(pos / 2);
  }
  return { root: hash, steps };
}

export async function verifyProof(proof: TxProof, facts: ChainFacts): Promise<ProofVerification> {
  const decoded = decodeProof(proof);
  if (!decoded.ok) {
    const skipped = (id: CheckId) => check(id, false, 'not checked: the proof is malformed');
    return {
      ok: false,
      checks: [
        check('format', false, decoded.why),
        skipped('merkle-root'),
        skipped('proof-of-work'),
        skipped('block-hash'),
        skipped('chain-link'),
      ],
      steps: [],
      computedRoot: null,
      headerRoot: null,
      headerHash: null,
    };
  }
  const { leaf, header, branch } = decoded;
  const parsed = parseHeader(header);
  // The header's hash does not wait for the branch: WebCrypto digests run off the main thread.
  const [{ root, steps }, headerHashBytes] = await Promise.all([
    walkBranch(leaf, branch, proof.index),
    hash256(header),
  ]);
  const headerHash = toDisplayHex(headerHashBytes);
  const checks: ProofCheck[] = [
    check('format', true, `${branch.length}-level branch, position ${proof.index}`),
  ];

  const dup = steps.find((s) => s.duplicate);
  const rootOk = equalBytes(root, parsed.merkleRoot) && dup === undefined;
  checks.push(
    check(
      'merkle-root',
      rootOk,
      dup !== undefined
        ? `level ${dup.level} pairs a node with a copy of itself (CVE-2012-2459): not a real position`
        : rootOk
          ? `computed root ${toDisplayHex(root)} equals the header’s`
          : `computed root ${toDisplayHex(root)} differs from the header’s ${toDisplayHex(parsed.merkleRoot)}`,
    ),
  );

  const target = targetFromBits(parsed.bits);
  const bitsHex = parsed.bits.toString(16).padStart(8, '0');
  const powOk = target !== null && hashToBigInt(headerHashBytes) <= target;
  checks.push(
    check(
      'proof-of-work',
      powOk,
      target === null
        ? `bits ${bitsHex} encode no valid target`
        : `hash ${headerHash} ${powOk ? '≤' : '>'} target ${target.toString(16).padStart(64, '0')} (bits ${bitsHex})`,
    ),
  );

  const claimed = proof.blockhash.toLowerCase();
  const hashOk = headerHash === claimed && facts.hashAtHeight === headerHash;
  checks.push(
    check(
      'block-hash',
      hashOk,
      headerHash !== claimed
        ? `the header hashes to ${headerHash}, not the proof’s block ${claimed}`
        : facts.hashAtHeight === null
          ? `the node has no block at height ${proof.height}`
          : hashOk
            ? `block ${proof.height} is ${headerHash}`
            : `the node’s block ${proof.height} is ${facts.hashAtHeight}`,
    ),
  );

  const genesis = proof.height === 0;
  const expectedPrev = genesis ? '0'.repeat(64) : facts.hashBelow;
  const linkOk = expectedPrev !== null && parsed.previousBlockHash === expectedPrev;
  checks.push(
    check(
      'chain-link',
      linkOk,
      expectedPrev === null
        ? `the node has no block at height ${proof.height - 1}`
        : linkOk
          ? genesis
            ? 'genesis block: previous hash is all zeros'
            : `previous hash ${parsed.previousBlockHash} is block ${proof.height - 1}`
          : `previous hash ${parsed.previousBlockHash} is not block ${proof.height - 1} (${expectedPrev})`,
    ),
  );

  return {
    ok: checks.every((c) => c.ok),
    checks,
    steps,
    computedRoot: toDisplayHex(root),
    headerRoot: toDisplayHex(parsed.merkleRoot),
    headerHash,
  };
}

/**
 * A proof read from a file or a paste, checked for the API's shape (exactly its six fields), or
 * the reason it is not one.
 */
export function parseProofJson(text: string): { ok: true; proof: TxProof } | { ok: false; why: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, why: `not JSON: ${(err as Error).message}` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, why: 'a proof is a JSON object' };
  }
  const o = value as Record<string, unknown>;
  for (const key of ['txid', 'blockhash', 'header'] as const) {
    if (typeof o[key] !== 'string') return { ok: false, why: `"${key}" must be a string` };
  }
  for (const key of ['height', 'index'] as const) {
    if (typeof o[key] !== 'number') return { ok: false, why: `"${key}" must be a number` };
  }
  if (!Array.isArray(o.branch) || !o.branch.every((h) => typeof h === 'string')) {
    return { ok: false, why: '"branch" must be an array of hex strings' };
  }
  return {
    ok: true,
    proof: {
      txid: o.txid as string,
      blockhash: o.blockhash as string,
      height: o.height as number,
      index: o.index as number,
      header: o.header as string,
      branch: o.branch as string[],
    },
  };
}
