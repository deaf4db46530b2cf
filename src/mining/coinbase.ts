import { WITNESS_COMMITMENT_HEADER } from '../consensus/constants.js';
import { OutPoint } from '../primitives/outpoint.js';
import { Transaction } from '../primitives/transaction.js';
import { TxIn } from '../primitives/txin.js';
import { TxOut } from '../primitives/txout.js';
import { joinBytes, pushData, pushInt } from '../script/script.js';
import { encodeScriptNum } from '../script/script-num.js';

/**
 * The coinbase transaction of a block template (Core's CreateNewBlock + IncrementExtraNonce +
 * GenerateCoinbaseCommitment).
 */

/** Core's CheckTransaction bound on a coinbase scriptSig (bad-cb-length: 2..100 bytes). */
export const MAX_COINBASE_SCRIPTSIG_SIZE = 100;
export const MIN_COINBASE_SCRIPTSIG_SIZE = 2;

/**
 * Core's CTxIn::MAX_SEQUENCE_NONFINAL. Since v30 (bitcoin/bitcoin#32155) Core's miner timelocks the
 * coinbase to height - 1 and so must keep its sequence off SEQUENCE_FINAL, which would disable the
 * lock: BIP54 (consensus cleanup) proposes to require both, making coinbase txids unique for good.
 */
export const COINBASE_SEQUENCE = 0xfffffffe;

/** BIP141: the witness reserved value is 32 bytes; Core's GenerateCoinbaseCommitment uses zeros. */
export const WITNESS_RESERVED_VALUE_SIZE = 32;

/** Coinbase transactions are version 2, Core's CTransaction::CURRENT_VERSION. */
const COINBASE_TX_VERSION = 2;

export interface CoinbaseOptions {
  /** Height of the block; BIP34 makes the scriptSig start with it. */
  readonly height: number;
  /**
   * Rolled when the 2^32 header nonces are used up (Core's IncrementExtraNonce), which changes the
   * txid and so the Merkle root. 0 gives Core's template scriptSig `<height> OP_0` exactly.
   */
  readonly extraNonce: number;
  /** Satoshis paid to `script`: the subsidy plus the fees of the block's transactions. */
  readonly value: number;
  /** Output script of the reward. */
  readonly script: Uint8Array;
  /**
   * The 32-byte BIP141 commitment, hash256(witness root || reserved value). When given, the coinbase
   * gets the commitment output and the reserved value as its witness.
   */
  readonly witnessCommitment?: Uint8Array;
  /** Arbitrary bytes (a pool tag) pushed after the extraNonce. */
  readonly tag?: Uint8Array;
}

/**
 * The scriptSig `<height> <extraNonce> [<tag>]`. The height is written by pushInt exactly as
 * `CScript() << height` (OP_1..OP_16 for small heights), which is the prefix consensus
 * checkCoinbaseHeight compares byte for byte. The extraNonce is a CScriptNum push, as in Core's
 * IncrementExtraNonce (`<< CScriptNum(nExtraNonce)`): 0 is OP_0, which also keeps a height-1..16
 * scriptSig at the 2-byte minimum. Throws RangeError when the result would exceed 100 bytes.
 */
export function coinbaseScriptSig(height: number, extraNonce: number, tag?: Uint8Array): Uint8Array {
  if (!Number.isSafeInteger(height) || height < 1) throw new RangeError(`bad coinbase height ${height}`);
  if (!Number.isSafeInteger(extraNonce) || extraNonce < 0) {
    throw new RangeError(`bad extraNonce ${extraNonce}`);
  }
  const parts = [pushInt(height), pushData(encodeScriptNum(extraNonce))];
  if (tag !== undefined && tag.length > 0) parts.push(pushData(tag));
  const scriptSig = joinBytes(parts);
  if (scriptSig.length > MAX_COINBASE_SCRIPTSIG_SIZE) {
    throw new RangeError(
      `coinbase scriptSig is ${scriptSig.length} bytes, more than ${MAX_COINBASE_SCRIPTSIG_SIZE}`,
    );
  }
  return scriptSig;
}

/** The commitment output script: OP_RETURN, a 36-byte push of 0xaa21a9ed || commitment (BIP141). */
export function witnessCommitmentScript(commitment: Uint8Array): Uint8Array {
  if (commitment.length !== 32) throw new RangeError('a witness commitment is 32 bytes');
  const script = new Uint8Array(WITNESS_COMMITMENT_HEADER.length + 32);
  script.set(WITNESS_COMMITMENT_HEADER, 0);
  script.set(commitment, WITNESS_COMMITMENT_HEADER.length);
  return script;
}

/**
 * Builds the coinbase: one input spending the null outpoint, the reward output first and the witness
 * commitment last (Core appends it after the outputs it already has; consensus takes the last match).
 */
export function buildCoinbase(o: CoinbaseOptions): Transaction {
  const input = new TxIn(
    OutPoint.null(),
    coinbaseScriptSig(o.height, o.extraNonce, o.tag),
    COINBASE_SEQUENCE,
  );
  const outputs = [new TxOut(o.value, o.script)];
  if (o.witnessCommitment !== undefined) {
    outputs.push(new TxOut(0, witnessCommitmentScript(o.witnessCommitment)));
    input.witness = [new Uint8Array(WITNESS_RESERVED_VALUE_SIZE)]; // a fresh array: callers may hold it
  }
  // nLockTime = height - 1: final in this block (IsFinalTx compares locktime < height), see above.
  return new Transaction(COINBASE_TX_VERSION, [input], outputs, o.height - 1);
}
