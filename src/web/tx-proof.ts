/**
 * Transaction inclusion proofs as the explorer serves them (`GET /api/tx/<txid>/proof`) and
 * `tally proof verify` checks them offline:
 *
 * ```json
 * {"txid":"<display hex>","blockhash":"<display hex>","height":n,"index":n,
 *  "header":"<80-byte header hex>","branch":["<sibling hash, internal byte order>", ...]}
 * ```
 * The branch lists sibling hashes from the leaf up, in the byte order the header's Merkle root uses
 * (not reversed), so a verifier only concatenates and double-SHA-256es bytes. The UI mirrors
 * verifyTxProof in the browser; keep the two in step.
 */
import { compactToTarget, deriveTarget, hashToBigInt } from '../consensus/pow.js';
import { fromDisplayHex, fromHex, toDisplayHex, toHex } from '../encoding/hex.js';
import { BlockHeader, HEADER_SIZE } from '../primitives/block-header.js';
import { buildMerkleBranch, computeRootFromBranch, verifyMerkleBranch } from '../primitives/merkle-proof.js';

export interface TxProof {
  readonly txid: string;
  readonly blockhash: string;
  readonly height: number;
  readonly index: number;
  readonly header: string;
  readonly branch: readonly string[];
}

/** The proof of the transaction at `index` among `txids` (internal byte order) of a block. */
export function buildTxProof(
  header: BlockHeader,
  height: number,
  txids: readonly Uint8Array[],
  index: number,
): TxProof {
  return {
    txid: toDisplayHex(txids[index]!),
    blockhash: header.hashHex(),
    height,
    index,
    header: toHex(header.encode()),
    branch: buildMerkleBranch(txids, index).map(toHex),
  };
}

export type ProofCheckName = 'format' | 'block-hash' | 'merkle-root' | 'proof-of-work';

export interface ProofCheck {
  readonly name: ProofCheckName;
  readonly ok: boolean;
  readonly detail: string;
}

export type ProofVerdict =
  | { readonly valid: true; readonly checks: readonly ProofCheck[]; readonly header: BlockHeader }
  | { readonly valid: false; readonly reason: string; readonly checks: readonly ProofCheck[] };

const HEX64 = /^[0-9a-fA-F]{64}$/;

/** Parses JSON text or an object into a TxProof, or says what is wrong with it. */
export function parseTxProof(input: unknown): TxProof | string {
  let value = input;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      return 'proof is not valid JSON';
    }
  }
  if (typeof value !== 'object' || value === null) return 'proof must be a JSON object';
  const p = value as Record<string, unknown>;
  if (typeof p.txid !== 'string' || !HEX64.test(p.txid)) return 'txid must be 64 hex characters';
  if (typeof p.blockhash !== 'string' || !HEX64.test(p.blockhash))
    return 'blockhash must be 64 hex characters';
  if (typeof p.header !== 'string' || !new RegExp(`^[0-9a-fA-F]{${HEADER_SIZE * 2}}$`).test(p.header))
    return `header must be ${HEADER_SIZE * 2} hex characters`;
  if (!Number.isSafeInteger(p.index) || (p.index as number) < 0)
    return 'index must be a non-negative integer';
  if (!Number.isSafeInteger(p.height) || (p.height as number) < 0)
    return 'height must be a non-negative integer';
  if (!Array.isArray(p.branch) || p.branch.length > 32) return 'branch must be an array of at most 32 hashes';
  for (const h of p.branch) {
    if (typeof h !== 'string' || !HEX64.test(h)) return 'every branch hash must be 64 hex characters';
  }
  return {
    txid: p.txid,
    blockhash: p.blockhash,
    height: p.height as number,
    index: p.index as number,
    header: p.header,
    branch: p.branch as string[],
  };
}

/**
 * Checks a proof offline: the header hashes to `blockhash`, double SHA-256 up the branch from the
 * txid reaches the header's Merkle root (refusing the duplicated-last-node forgery, CVE-2012-2459),
 * and the header's hash meets the target its bits encode (not above `powLimit` when given). It does
 * not say the block is on anyone's best chain: `tally proof verify --rpc` asks a node for that.
 */
export function verifyTxProof(input: unknown, powLimit?: bigint): ProofVerdict {
  const checks: ProofCheck[] = [];
  const fail = (name: ProofCheckName, reason: string): ProofVerdict => {
    checks.push({ name, ok: false, detail: reason });
    return { valid: false, reason, checks };
  };
  const proof = parseTxProof(input);
  if (typeof proof === 'string') return fail('format', `malformed proof: ${proof}`);
  const header = BlockHeader.decode(fromHex(proof.header));
  checks.push({ name: 'format', ok: true, detail: 'well-formed proof' });

  if (header.hashHex() !== proof.blockhash.toLowerCase()) {
    return fail('block-hash', `block hash mismatch: the header hashes to ${header.hashHex()}`);
  }
  checks.push({ name: 'block-hash', ok: true, detail: `header hashes to ${header.hashHex()}` });

  const leaf = fromDisplayHex(proof.txid);
  const branch = proof.branch.map((h) => fromHex(h));
  if (!verifyMerkleBranch(leaf, branch, proof.index, header.merkleRoot)) {
    const reached = computeRootFromBranch(leaf, branch, proof.index);
    return fail(
      'merkle-root',
      `merkle root mismatch: the branch leads to ${toDisplayHex(reached)}, the header commits to ${toDisplayHex(header.merkleRoot)}`,
    );
  }
  checks.push({
    name: 'merkle-root',
    ok: true,
    detail: `branch of ${branch.length} hashes leads to the header's Merkle root ${toDisplayHex(header.merkleRoot)}`,
  });

  const target = targetOf(header.bits, powLimit);
  if (target === undefined)
    return fail('proof-of-work', `header bits 0x${header.bits.toString(16)} encode no valid target`);
  if (hashToBigInt(header.hash()) > target) {
    return fail('proof-of-work', `header hash above target ${target.toString(16).padStart(64, '0')}`);
  }
  checks.push({ name: 'proof-of-work', ok: true, detail: 'header hash meets its target' });
  return { valid: true, checks, header };
}

function targetOf(bits: number, powLimit: bigint | undefined): bigint | undefined {
  if (powLimit !== undefined) return deriveTarget(bits, powLimit);
  const { target, negative, overflow } = compactToTarget(bits);
  return negative || overflow || target === 0n ? undefined : target;
}
