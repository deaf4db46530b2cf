/**
 * The spending half of the wallet's RPC contract (src/wallet/api.ts re-exports it): what sends,
 * funded PSBTs, signing, descriptor imports and fee bumps take and return. Types only; amounts
 * in satoshis, txids display hex.
 */
import type { AddressType } from './api.js';
import type { Psbt } from './psbt/psbt.js';

export interface SendRecipient {
  address: string;
  amount: number;
  subtractFee?: boolean;
}

export interface SendRequest {
  recipients: SendRecipient[];
  /** sat/vB, explicit. */
  feeRate?: number;
  confTarget?: number;
  estimateMode?: 'unset' | 'economical' | 'conservative';
  /** Default true, like Core 28+. */
  replaceable?: boolean;
  comment?: string;
  commentTo?: string;
  minConf?: number;
}

export interface FundedPsbtRequest extends SendRequest {
  inputs?: { txid: string; vout: number; sequence?: number }[];
  locktime?: number;
  addInputs?: boolean;
  changeAddress?: string;
  changeType?: AddressType;
  changePosition?: number;
  includeWatching?: boolean;
  lockUnspents?: boolean;
}

export interface UnspentFilter {
  minConf?: number;
  maxConf?: number;
  addresses?: string[];
  includeUnsafe?: boolean;
  minAmount?: number;
  maxAmount?: number;
}

export interface SignRawPrevTx {
  txid: string;
  vout: number;
  scriptPubKey: Uint8Array;
  redeemScript?: Uint8Array;
  witnessScript?: Uint8Array;
  amount?: number;
}

export interface SignRawError {
  txid: string;
  vout: number;
  witness: string[];
  scriptSig: string;
  sequence: number;
  error: string;
}

export interface ImportDescriptorRequest {
  desc: string;
  active?: boolean;
  range?: number | [number, number];
  nextIndex?: number;
  timestamp: number | 'now';
  internal?: boolean;
  label?: string;
}

export interface ImportDescriptorResult {
  success: boolean;
  warnings?: string[];
  error?: { code: number; message: string };
}

export interface BumpFeeRequest {
  /** sat/vB, explicit. */
  readonly feeRate?: number;
  readonly confTarget?: number;
  readonly estimateMode?: SendRequest['estimateMode'];
  /** Whether the replacement signals BIP125 itself (default true). */
  readonly replaceable?: boolean;
  /** New recipients replacing the original's (Core's `outputs`); the change is still found. */
  readonly outputs?: readonly BumpFeeOutput[];
  /** Which output of the original is the change (Core's `original_change_index`). */
  readonly originalChangeIndex?: number;
}

/** One output of bumpfee's `outputs` option: an address's script or an OP_RETURN, satoshis. */
export interface BumpFeeOutput {
  readonly script: Uint8Array;
  readonly amount: number;
}

/** bumpfee's result; fees in satoshis. */
export interface BumpFeeResult {
  readonly txid: string;
  readonly origFee: number;
  readonly fee: number;
  readonly errors: string[];
}

/** psbtbumpfee's result: the unsigned replacement as a PSBT; fees in satoshis. */
export interface PsbtBumpFeeResult {
  readonly psbt: Psbt;
  readonly origFee: number;
  readonly fee: number;
  readonly errors: string[];
}

/** An outpoint as the RPC names it: display-hex txid and output index. */
export interface CoinRef {
  readonly txid: string;
  readonly vout: number;
}
