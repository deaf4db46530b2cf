import { sha256 } from '../../crypto/hash.js';
import type { Block } from '../../primitives/block.js';
import type { Coin } from '../../primitives/coin.js';
import { isUnspendable } from '../../script/script.js';
import type { AddressIndexStore, IndexOp } from './index-store.js';
import { historyKey, spenderKey, summaryKey, TIP_KEY, utxoKey } from './layout.js';
import {
  type AddressSummary,
  encodeAmount,
  encodeHistoryValue,
  encodeSpender,
  encodeSummary,
  encodeTip,
} from './records.js';

/** Undo data as the chain keeps it: per non-coinbase transaction, the coins its inputs spent. */
export type BlockUndo = readonly (readonly Coin[])[];

interface Touch {
  readonly sh: Uint8Array;
  delta: number;
}

const key = (sh: Uint8Array): string => Buffer.from(sh.buffer, sh.byteOffset, 32).toString('latin1');

/**
 * The changes of one atomic write of the address index: the ops of every block connected (or the
 * one disconnected) in order, with the summaries they touch kept in memory so that several blocks
 * touching one script update it once. finish() adds the summaries and the new tip.
 */
export class IndexBatch {
  readonly ops: IndexOp[] = [];
  private readonly summaries = new Map<string, { sh: Uint8Array; s: AddressSummary }>();
  blocks = 0;
  txs = 0;

  constructor(private readonly store: AddressIndexStore) {}

  /** Adds a connected block at `height`; `undo` is the chain's undo data for it. */
  async connect(block: Block, height: number, undo: BlockUndo): Promise<void> {
    const perTx = this.scriptsOf(block, undo);
    await this.load(perTx);
    block.txs.forEach((tx, position) => {
      const txid = tx.txid();
      const touched = new Map<string, Touch>();
      const spent = position === 0 ? [] : (undo[position - 1] ?? []);
      const { inputs, outputs } = perTx[position]!;
      spent.forEach((coin, j) => {
        const sh = inputs[j]!;
        const s = this.summary(sh);
        s.sent += coin.value;
        s.utxoCount--;
        touch(touched, sh, -coin.value);
        const prev = tx.inputs[j]!.prevout;
        this.ops.push({ type: 'del', key: utxoKey(sh, coin.height, prev.hash, prev.index) });
        this.ops.push({
          type: 'put',
          key: spenderKey(prev.hash, prev.index),
          value: encodeSpender({ txid, vin: j, height }),
        });
      });
      tx.outputs.forEach((output, n) => {
        const sh = outputs[n];
        if (sh === undefined) return;
        const s = this.summary(sh);
        s.received += output.value;
        s.utxoCount++;
        touch(touched, sh, output.value);
        this.ops.push({ type: 'put', key: utxoKey(sh, height, txid, n), value: encodeAmount(output.value) });
      });
      for (const t of touched.values()) {
        this.summary(t.sh).txCount++;
        this.ops.push({
          type: 'put',
          key: historyKey(t.sh, height, position),
          value: encodeHistoryValue(txid, t.delta),
        });
      }
    });
    this.blocks++;
    this.txs += block.txs.length;
  }

  /** Adds the reversal of the block at `height` (its transactions undone last to first). */
  async disconnect(block: Block, height: number, undo: BlockUndo): Promise<void> {
    const perTx = this.scriptsOf(block, undo);
    await this.load(perTx);
    for (let position = block.txs.length - 1; position >= 0; position--) {
      const tx = block.txs[position]!;
      const txid = tx.txid();
      const touched = new Map<string, Touch>();
      const { inputs, outputs } = perTx[position]!;
      tx.outputs.forEach((output, n) => {
        const sh = outputs[n];
        if (sh === undefined) return;
        const s = this.summary(sh);
        s.received -= output.value;
        s.utxoCount--;
        touch(touched, sh, 0);
        this.ops.push({ type: 'del', key: utxoKey(sh, height, txid, n) });
      });
      const spent = position === 0 ? [] : (undo[position - 1] ?? []);
      spent.forEach((coin, j) => {
        const sh = inputs[j]!;
        const s = this.summary(sh);
        s.sent -= coin.value;
        s.utxoCount++;
        touch(touched, sh, 0);
        const prev = tx.inputs[j]!.prevout;
        this.ops.push({
          type: 'put',
          key: utxoKey(sh, coin.height, prev.hash, prev.index),
          value: encodeAmount(coin.value),
        });
        this.ops.push({ type: 'del', key: spenderKey(prev.hash, prev.index) });
      });
      for (const t of touched.values()) {
        this.summary(t.sh).txCount--;
        this.ops.push({ type: 'del', key: historyKey(t.sh, height, position) });
      }
    }
    this.blocks++;
    this.txs += block.txs.length;
  }

  /** The ops with every touched summary and the new tip: ready for one atomic write. */
  finish(tip: { hash: Uint8Array; height: number }): IndexOp[] {
    for (const { sh, s } of this.summaries.values()) {
      if (s.txCount === 0) this.ops.push({ type: 'del', key: summaryKey(sh) });
      else this.ops.push({ type: 'put', key: summaryKey(sh), value: encodeSummary(s) });
    }
    this.ops.push({ type: 'put', key: TIP_KEY, value: encodeTip(tip) });
    return this.ops;
  }

  /** Script hashes of each transaction's spent coins and outputs (undefined: never spendable). */
  private scriptsOf(
    block: Block,
    undo: BlockUndo,
  ): { inputs: Uint8Array[]; outputs: (Uint8Array | undefined)[] }[] {
    return block.txs.map((tx, position) => ({
      inputs: (position === 0 ? [] : (undo[position - 1] ?? [])).map((coin) => sha256(coin.scriptPubKey)),
      // OP_RETURN and oversized scripts never enter the UTXO set (Core's IsUnspendable).
      outputs: tx.outputs.map((o) => (isUnspendable(o.scriptPubKey) ? undefined : sha256(o.scriptPubKey))),
    }));
  }

  /** Reads the stored summaries of scripts this batch has not touched yet. */
  private async load(perTx: { inputs: Uint8Array[]; outputs: (Uint8Array | undefined)[] }[]): Promise<void> {
    const missing = new Map<string, Uint8Array>();
    for (const { inputs, outputs } of perTx) {
      for (const sh of [...inputs, ...outputs]) {
        if (sh === undefined) continue;
        const k = key(sh);
        if (!this.summaries.has(k)) missing.set(k, sh);
      }
    }
    const list = [...missing.values()];
    const stored = await this.store.summaries(list);
    list.forEach((sh, i) => {
      const s = stored[i] ?? { received: 0, sent: 0, txCount: 0, utxoCount: 0 };
      this.summaries.set(key(sh), { sh, s });
    });
  }

  private summary(sh: Uint8Array): AddressSummary {
    return this.summaries.get(key(sh))!.s;
  }
}

function touch(touched: Map<string, Touch>, sh: Uint8Array, delta: number): void {
  const k = key(sh);
  const t = touched.get(k);
  if (t === undefined) touched.set(k, { sh, delta });
  else t.delta += delta;
}
