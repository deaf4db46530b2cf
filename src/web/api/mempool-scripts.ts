import { toHex } from '../../encoding/hex.js';
import { hashKey, type MempoolEntry } from '../../mempool/entry.js';
import type { ExplorerChain, ExplorerMempool } from './deps.js';

/** What one unconfirmed transaction did to one script. */
export interface PendingActivity {
  readonly entry: MempoolEntry;
  /** Received minus spent, in satoshis. */
  readonly delta: number;
  /** The outputs it created to the script: [vout, value]. */
  readonly outputs: readonly (readonly [number, number])[];
}

/**
 * The mempool by script, for the address pages: which unconfirmed transactions pay or spend an
 * address. Kept up to date from the mempool's own events, so an address request reads a few map
 * entries instead of walking the whole pool and looking up every input's coin (which cost
 * O(mempool) per request: 100,000 pending transactions made each address page a UTXO scan).
 * The spent coins' scripts are read once, when the transaction enters the pool, while its inputs
 * are certainly available (in the chain's UTXO set or a parent in the pool).
 */
export class MempoolScripts {
  /** script hex -> hashKey(txid) -> activity */
  readonly #byScript = new Map<string, Map<string, PendingActivity>>();
  /** hashKey(txid) -> the scripts it touched, to undo on removal */
  readonly #scriptsOf = new Map<string, string[]>();
  readonly #onTx = (entry: MempoolEntry) => this.#add(entry);
  readonly #onRemoved = (txid: Uint8Array) => this.#remove(hashKey(txid));

  constructor(
    private readonly mempool: ExplorerMempool,
    private readonly chain: Pick<ExplorerChain, 'getCoin'>,
  ) {
    mempool.on('tx', this.#onTx);
    mempool.on('removed', this.#onRemoved);
    for (const entry of mempool.entries()) this.#add(entry);
  }

  close(): void {
    this.mempool.off('tx', this.#onTx);
    this.mempool.off('removed', this.#onRemoved);
    this.#byScript.clear();
    this.#scriptsOf.clear();
  }

  /** The unconfirmed transactions touching `script`, newest first (as the confirmed history). */
  activity(script: Uint8Array): PendingActivity[] {
    const found = this.#byScript.get(toHex(script));
    if (found === undefined) return [];
    return [...found.values()].sort((a, b) => b.entry.sequence - a.entry.sequence);
  }

  /** Scripts tracked (for tests: the index empties as the pool does). */
  get size(): number {
    return this.#byScript.size;
  }

  #add(entry: MempoolEntry): void {
    if (this.#scriptsOf.has(entry.key)) return;
    const touched = new Map<string, { delta: number; outputs: [number, number][] }>();
    const at = (script: Uint8Array) => {
      const key = toHex(script);
      let t = touched.get(key);
      if (t === undefined) {
        t = { delta: 0, outputs: [] };
        touched.set(key, t);
      }
      return t;
    };
    for (const input of entry.tx.inputs) {
      const coin = this.mempool.getCoin(input.prevout) ?? this.chain.getCoin(input.prevout);
      if (coin !== undefined) at(coin.scriptPubKey).delta -= coin.value;
    }
    entry.tx.outputs.forEach((o, vout) => {
      const t = at(o.scriptPubKey);
      t.delta += o.value;
      t.outputs.push([vout, o.value]);
    });
    for (const [script, t] of touched) {
      let map = this.#byScript.get(script);
      if (map === undefined) {
        map = new Map();
        this.#byScript.set(script, map);
      }
      map.set(entry.key, { entry, delta: t.delta, outputs: t.outputs });
    }
    this.#scriptsOf.set(entry.key, [...touched.keys()]);
  }

  #remove(key: string): void {
    const scripts = this.#scriptsOf.get(key);
    if (scripts === undefined) return;
    this.#scriptsOf.delete(key);
    for (const script of scripts) {
      const map = this.#byScript.get(script);
      map?.delete(key);
      if (map?.size === 0) this.#byScript.delete(script);
    }
  }
}
