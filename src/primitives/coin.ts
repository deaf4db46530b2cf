import { TxOut } from './txout.js';

/**
 * An unspent transaction output as the UTXO set keeps it (Core's Coin, coins.h): the output plus the
 * height of the block that created it and whether it came from a coinbase, which consensus needs for
 * coinbase maturity and BIP68 relative locks.
 */
export class Coin {
  constructor(
    /** Amount in satoshis. */
    readonly value: number,
    readonly scriptPubKey: Uint8Array,
    /** Height of the block containing the transaction that created this output. */
    readonly height: number,
    readonly coinbase: boolean,
  ) {}

  /** The output this coin holds, for signature hashing and script checks. */
  toTxOut(): TxOut {
    return new TxOut(this.value, this.scriptPubKey);
  }
}
