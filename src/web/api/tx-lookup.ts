import type { ChainEntry } from '../../chain/chain-entry.js';
import { toDisplayHex } from '../../encoding/hex.js';
import { OutPoint } from '../../primitives/outpoint.js';
import type { Transaction } from '../../primitives/transaction.js';
import { isUnspendable } from '../../script/script.js';
import { buildTxProof, type TxProof } from '../tx-proof.js';
import type { BlockReader } from './block-reader.js';
import type { ExplorerDeps } from './deps.js';
import { notFound } from './http-error.js';
import { type Prevout, type TxStatus, txJson } from './tx-json.js';

/** Finds transactions in the mempool or through the chain's tx index, and shapes them for the API. */
export class TxLookup {
  constructor(
    private readonly deps: ExplorerDeps,
    private readonly blocks: BlockReader,
  ) {}

  /** The contract's tx object for a mempool or confirmed transaction, or 404. */
  async json(txid: Uint8Array): Promise<Record<string, unknown>> {
    const pooled = this.deps.mempool?.get(txid);
    if (pooled !== undefined) {
      const tx = pooled.tx;
      const prevouts = tx.inputs.map((input) => this.unconfirmedPrevout(input.prevout));
      const spentBy = await this.spentBy(tx, false);
      return txJson(tx, this.deps.network.addressPrefixes, {
        prevouts,
        status: { confirmed: false, confirmations: 0 },
        spentBy: (n) => spentBy[n],
      });
    }
    const found = await this.confirmed(txid);
    const { block } = await this.blocks.read(found.entry);
    const undo = await this.blocks.undo(found.entry);
    return this.confirmedJson(block.txs[found.index]!, found.entry, found.index, undo?.[found.index - 1]);
  }

  /** A confirmed transaction's object given its block position and spent coins (block tx lists). */
  async confirmedJson(
    tx: Transaction,
    entry: ChainEntry,
    index: number,
    spent: readonly Prevout[] | undefined,
  ): Promise<Record<string, unknown>> {
    const status: TxStatus = {
      confirmed: true,
      blockHash: entry.hashHex(),
      height: entry.height,
      index,
      time: entry.time,
      confirmations: this.deps.chain.height - entry.height + 1,
    };
    const spentBy = await this.spentBy(tx, true);
    return txJson(tx, this.deps.network.addressPrefixes, {
      prevouts: index === 0 ? [] : tx.inputs.map((_, i) => spent?.[i]),
      status,
      spentBy: (n) => spentBy[n],
    });
  }

  /** The inclusion proof of a confirmed transaction; 404 when unconfirmed or unknown. */
  async proof(txid: Uint8Array): Promise<TxProof> {
    const found = await this.confirmed(txid);
    const { txids } = await this.blocks.read(found.entry);
    return buildTxProof(found.entry.header, found.entry.height, txids, found.index);
  }

  /** Where a transaction sits on the active chain (tx index), or 404 naming why not. */
  async confirmed(txid: Uint8Array): Promise<{ entry: ChainEntry; index: number }> {
    const chain = this.deps.chain;
    const location = await chain.getTxLocation(txid);
    if (location === undefined) {
      if (this.deps.mempool?.get(txid) !== undefined) {
        throw notFound('tx-unconfirmed', 'the transaction is in the mempool, not yet in a block');
      }
      throw notFound(
        'tx-not-found',
        `no transaction ${toDisplayHex(txid)} in the mempool or the transaction index`,
      );
    }
    const entry = chain.getEntry(location.blockHash);
    // The tx index drops records of disconnected blocks; a stale one would point off the active chain.
    if (entry === undefined || !chain.isOnActiveChain(entry)) {
      throw notFound('tx-not-found', 'the transaction is not on the active chain');
    }
    return { entry, index: location.index };
  }

  private unconfirmedPrevout(outpoint: OutPoint): Prevout | undefined {
    return this.deps.mempool?.getCoin(outpoint) ?? this.deps.chain.getCoin(outpoint);
  }

  /**
   * Who spends each output: a mempool transaction, a confirmed one (from the address index's spent
   * records), null when the output is unspent or can never be spent, undefined when it was spent on
   * chain but no index says by whom (node without -addressindex, or the index still catching up).
   */
  private async spentBy(tx: Transaction, confirmed: boolean): Promise<Spent[]> {
    const txid = tx.txid();
    const out: Spent[] = [];
    const ask: OutPoint[] = [];
    tx.outputs.forEach((output, n) => {
      const outpoint = new OutPoint(txid, n);
      const spender = this.deps.mempool?.spender(outpoint);
      if (spender !== undefined) {
        const vin = spender.tx.inputs.findIndex((i) => i.prevout.equals(outpoint));
        out.push({ txid: spender.tx.txidHex(), vin });
      } else if (!confirmed || isUnspendable(output.scriptPubKey) || this.deps.chain.getCoin(outpoint)) {
        out.push(null);
      } else {
        out.push(undefined);
        ask.push(outpoint);
      }
    });
    const index = this.deps.addressIndex;
    if (index !== undefined && ask.length > 0) {
      const found = await index.spenders(ask);
      ask.forEach((outpoint, i) => {
        const s = found[i];
        if (s !== undefined) out[outpoint.index] = { txid: toDisplayHex(s.txid), vin: s.vin };
      });
    }
    return out;
  }
}

type Spent = { txid: string; vin: number } | null | undefined;
