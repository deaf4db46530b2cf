import type { AddressType } from '../api.js';

/** The shapes of the wallet's database records (keys in ../layout.ts). Bytes are hex strings. */

export interface WalletMetaRecord {
  readonly version: number;
  readonly network: string;
  /** Unix seconds the wallet was created (Core's birthtime): rescans need not look earlier. */
  readonly birthTime: number;
  readonly disablePrivateKeys: boolean;
  readonly blank: boolean;
  /** BIP32 fingerprint of the master key, 8 hex digits; absent without a seed. */
  readonly masterFingerprint?: string;
  /** Account-level extended public keys (m/purpose'/coin'/0') per address type. */
  readonly accounts?: Partial<Record<AddressType, string>>;
}

export interface BestBlockRecord {
  /** Display hex. */
  readonly hash: string;
  readonly height: number;
}

export interface LabelRecord {
  readonly label: string;
}

/** A watch-only script or one the wallet can sign through other keys (multisig). */
export interface ImportedScriptRecord {
  readonly kind: 'address' | 'script' | 'multisig';
  readonly label?: string;
  readonly redeemScript?: string;
  readonly witnessScript?: string;
  /** Output type of a multisig address. */
  readonly type?: AddressType;
  readonly desc?: string;
  readonly time: number;
}

export interface BlockPosition {
  /** Display hex. */
  readonly hash: string;
  readonly height: number;
  readonly index: number;
  readonly time: number;
}

export interface WalletTxRecord {
  /** Raw transaction with witness, hex. */
  readonly hex: string;
  readonly timeReceived: number;
  readonly time: number;
  readonly block?: BlockPosition;
  /** Height of the block holding a conflicting transaction (Core's TxStateConflicted). */
  readonly conflictHeight?: number;
  readonly conflictBlock?: string;
  readonly comment?: string;
  readonly commentTo?: string;
  readonly orderPos: number;
  /** abandontransaction. */
  readonly abandoned?: boolean;
  /** bumpfee: display txids of the replacement and of the replaced transaction. */
  readonly replacedBy?: string;
  readonly replaces?: string;
}
