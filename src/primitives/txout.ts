/**
 * A transaction output: an amount in satoshis and the script that locks it.
 *
 * `value` is a JS number: every valid amount is below MAX_MONEY (2.1e15 < 2^53), so arithmetic stays
 * exact. A decoded int64 outside 2^53 (only ever in invalid transactions) keeps its exact bits in
 * `rawValue`, so such a transaction re-serializes byte-identically and keeps its txid.
 */
export class TxOut {
  constructor(
    public value: number,
    public scriptPubKey: Uint8Array,
    public rawValue?: bigint,
  ) {}
}
