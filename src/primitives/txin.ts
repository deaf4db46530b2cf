import type { OutPoint } from './outpoint.js';

/** Sequence value that disables BIP68 relative locks and (when all inputs have it) nLockTime. */
export const SEQUENCE_FINAL = 0xffffffff;

/** A transaction input: the coin it spends, its unlocking script and, for segwit, its witness stack. */
export class TxIn {
  constructor(
    public prevout: OutPoint,
    public scriptSig: Uint8Array,
    public sequence: number = SEQUENCE_FINAL,
    public witness: Uint8Array[] = [],
  ) {}
}
