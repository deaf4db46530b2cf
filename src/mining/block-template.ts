import {
  MAX_BLOCK_SERIALIZED_SIZE,
  MAX_BLOCK_SIGOPS_COST,
  MAX_BLOCK_WEIGHT,
  WITNESS_SCALE_FACTOR,
} from '../consensus/constants.js';
import { compactToTarget } from '../consensus/pow.js';
import { witnessCommitment } from '../consensus/witness-commitment.js';
import { toDisplayHex, toHex } from '../encoding/hex.js';
import { Block } from '../primitives/block.js';
import { BlockHeader } from '../primitives/block-header.js';
import { computeMerkleRoot } from '../primitives/merkle.js';
import type { Transaction } from '../primitives/transaction.js';
import { buildCoinbase, WITNESS_RESERVED_VALUE_SIZE, witnessCommitmentScript } from './coinbase.js';
import { coinbaseMerkleBranch, foldMerkleBranch } from './merkle-branch.js';

/** A mempool transaction chosen for the block, with what getblocktemplate reports about it. */
export interface TemplateTransaction {
  readonly tx: Transaction;
  /** Fee in satoshis (the real fee, not a prioritised one: it is what the coinbase may claim). */
  readonly fee: number;
  /** BIP141 sigop cost (legacy sigops count 4 each). */
  readonly sigOpCost: number;
  readonly weight: number;
  /** 1-based indexes of earlier template transactions this one spends (BIP22 `depends`). */
  readonly depends: readonly number[];
}

/** Everything a template is made of; BlockAssembler fills it from the chain and the mempool. */
export interface BlockTemplateData {
  readonly version: number;
  readonly prevBlock: Uint8Array;
  readonly height: number;
  readonly bits: number;
  /** Header time to use (BIP22 `curtime`). */
  readonly time: number;
  /** Earliest valid header time (BIP22 `mintime`): the parent's median time past + 1. */
  readonly minTime: number;
  readonly coinbaseScript: Uint8Array;
  readonly coinbaseTag?: Uint8Array;
  /** New coins at this height (GetBlockSubsidy). */
  readonly subsidy: number;
  readonly transactions: readonly TemplateTransaction[];
  /** Segwit is active for this block: witness commitment, weight-based limits in getblocktemplate. */
  readonly segwit: boolean;
  /** BIP22 long-poll id: changes when the template would (tip or mempool contents). */
  readonly longPollId: string;
  /** BIP9 rule names that apply (getblocktemplate `rules`). */
  readonly rules: readonly string[];
}

/** One entry of getblocktemplate's `transactions`, exactly as bitcoind names the fields. */
export interface GetBlockTemplateTransaction {
  data: string;
  txid: string;
  hash: string;
  depends: number[];
  fee: number;
  sigops: number;
  weight: number;
}

/** bitcoind's getblocktemplate result (BIP22/23/9/145), in bitcoind's key order. */
export interface GetBlockTemplateJson {
  capabilities: string[];
  version: number;
  rules: string[];
  vbavailable: Record<string, number>;
  vbrequired: number;
  previousblockhash: string;
  transactions: GetBlockTemplateTransaction[];
  coinbaseaux: Record<string, string>;
  coinbasevalue: number;
  longpollid: string;
  target: string;
  mintime: number;
  mutable: string[];
  noncerange: string;
  sigoplimit: number;
  sizelimit: number;
  weightlimit?: number;
  curtime: number;
  bits: string;
  height: number;
  default_witness_commitment?: string;
}

/**
 * A block ready to be mined but for the nonces (Core's CBlockTemplate). Immutable: `toBlock` builds a
 * fresh coinbase and header for each (extraNonce, nonce), so one template serves many searches.
 */
export class BlockTemplate {
  readonly version: number;
  readonly prevBlock: Uint8Array;
  readonly height: number;
  readonly bits: number;
  readonly time: number;
  readonly minTime: number;
  readonly coinbaseScript: Uint8Array;
  readonly coinbaseTag: Uint8Array | undefined;
  readonly subsidy: number;
  readonly transactions: readonly TemplateTransaction[];
  readonly segwit: boolean;
  readonly longPollId: string;
  readonly rules: readonly string[];
  /** Sum of the transactions' fees. */
  readonly fees: number;
  /** What the coinbase pays: subsidy + fees (BIP22 `coinbasevalue`). */
  readonly coinbaseValue: number;
  /** The BIP141 commitment (32 bytes) when segwit is active, else undefined. */
  readonly witnessCommitment: Uint8Array | undefined;
  /** The target the block hash must not exceed. */
  readonly target: bigint;
  private readonly branch: Uint8Array[];

  constructor(data: BlockTemplateData) {
    this.version = data.version;
    this.prevBlock = data.prevBlock;
    this.height = data.height;
    this.bits = data.bits >>> 0;
    this.time = data.time;
    this.minTime = data.minTime;
    this.coinbaseScript = data.coinbaseScript;
    this.coinbaseTag = data.coinbaseTag;
    this.subsidy = data.subsidy;
    this.transactions = data.transactions;
    this.segwit = data.segwit;
    this.longPollId = data.longPollId;
    this.rules = data.rules;
    let fees = 0;
    for (const t of data.transactions) fees += t.fee;
    this.fees = fees;
    this.coinbaseValue = data.subsidy + fees;
    this.target = compactToTarget(this.bits).target;
    this.branch = coinbaseMerkleBranch(data.transactions.map((t) => t.tx.txid()));
    // Core's GenerateCoinbaseCommitment adds the commitment whenever segwit is active, even to a
    // block without witness transactions; the coinbase's own wtxid counts as 32 zero bytes.
    if (data.segwit) {
      const leaves = [new Uint8Array(32), ...data.transactions.map((t) => t.tx.wtxid())];
      const { root } = computeMerkleRoot(leaves);
      this.witnessCommitment = witnessCommitment(root, new Uint8Array(WITNESS_RESERVED_VALUE_SIZE));
    }
  }

  /** The coinbase for one extraNonce (Core's IncrementExtraNonce rewrites only the scriptSig). */
  coinbase(extraNonce: number): Transaction {
    return buildCoinbase({
      height: this.height,
      extraNonce,
      value: this.coinbaseValue,
      script: this.coinbaseScript,
      ...(this.witnessCommitment !== undefined && { witnessCommitment: this.witnessCommitment }),
      ...(this.coinbaseTag !== undefined && { tag: this.coinbaseTag }),
    });
  }

  /** The header for one extraNonce and nonce, with the Merkle root that coinbase implies. */
  header(coinbase: Transaction, nonce: number): BlockHeader {
    const merkleRoot = foldMerkleBranch(coinbase.txid(), this.branch);
    return new BlockHeader(this.version, this.prevBlock, merkleRoot, this.time, this.bits, nonce >>> 0);
  }

  /** The full block for one extraNonce and nonce. */
  toBlock(extraNonce = 0, nonce = 0): Block {
    const coinbase = this.coinbase(extraNonce);
    return new Block(this.header(coinbase, nonce), [coinbase, ...this.transactions.map((t) => t.tx)]);
  }

  /**
   * bitcoind's getblocktemplate result. Before segwit the limits and sigops are shown in legacy units
   * (divided by the witness scale factor) and there is no weight limit, as in Core.
   */
  toGetBlockTemplateJson(): GetBlockTemplateJson {
    const scale = this.segwit ? 1 : WITNESS_SCALE_FACTOR;
    const json: GetBlockTemplateJson = {
      capabilities: ['proposal'],
      version: this.version,
      rules: [...this.rules],
      vbavailable: {},
      vbrequired: 0,
      previousblockhash: toDisplayHex(this.prevBlock),
      transactions: this.transactions.map((t) => ({
        data: toHex(t.tx.encode(true)),
        txid: toDisplayHex(t.tx.txid()),
        hash: toDisplayHex(t.tx.wtxid()),
        depends: [...t.depends],
        fee: t.fee,
        sigops: Math.floor(t.sigOpCost / scale),
        weight: t.weight,
      })),
      coinbaseaux: {},
      coinbasevalue: this.coinbaseValue,
      longpollid: this.longPollId,
      target: this.target.toString(16).padStart(64, '0'),
      mintime: this.minTime,
      mutable: ['time', 'transactions', 'prevblock'],
      noncerange: '00000000ffffffff',
      sigoplimit: MAX_BLOCK_SIGOPS_COST / scale,
      sizelimit: MAX_BLOCK_SERIALIZED_SIZE / scale,
      ...(this.segwit && { weightlimit: MAX_BLOCK_WEIGHT }),
      curtime: this.time,
      bits: this.bits.toString(16).padStart(8, '0'),
      height: this.height,
      ...(this.witnessCommitment !== undefined && {
        default_witness_commitment: toHex(witnessCommitmentScript(this.witnessCommitment)),
      }),
    };
    return json;
  }
}
