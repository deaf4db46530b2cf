/**
 * The wallet engine's contract with the RPC layer (issue #4). Types only, plus WalletError.
 * Amounts are satoshis as JS numbers (like TxOut.value); hashes/txids are display hex.
 * This file may be extended, never broken: RPC methods code against it.
 */
import type { Transaction } from '../primitives/transaction.js';
import type { Psbt } from './psbt/psbt.js';
import type { SinceBlockRequest, SinceBlockResult } from './tracking/since-block.js';

export type { SinceBlockRequest, SinceBlockResult } from './tracking/since-block.js';
// The spending half of the contract lives in api-spend.ts; importers keep using this module.
export type * from './api-spend.js';
import type {
  SendRequest,
  FundedPsbtRequest,
  UnspentFilter,
  SignRawPrevTx,
  SignRawError,
  ImportDescriptorRequest,
  ImportDescriptorResult,
  BumpFeeRequest,
  BumpFeeResult,
  PsbtBumpFeeResult,
  CoinRef,
} from './api-spend.js';

/** Core's OutputType names; bech32m is BIP86 taproot (key path only). */
export type AddressType = 'legacy' | 'p2sh-segwit' | 'bech32' | 'bech32m';

/** Codes map 1:1 onto bitcoind's RPC error codes (src/rpc/protocol.h). */
export const WALLET_ERROR_RPC_CODES = {
  WALLET_NOT_FOUND: -18,
  WALLET_ALREADY_LOADED: -35,
  WALLET_ALREADY_EXISTS: -4,
  WALLET_NOT_SPECIFIED: -19,
  UNLOCK_NEEDED: -13,
  PASSPHRASE_INCORRECT: -14,
  WRONG_ENC_STATE: -15,
  INSUFFICIENT_FUNDS: -6,
  INVALID_ADDRESS: -5,
  INVALID_ADDRESS_OR_KEY: -5,
  INVALID_PARAMETER: -8,
  WALLET_ERROR: -4,
  KEYPOOL_RAN_OUT: -12,
  PRIVATE_KEYS_DISABLED: -4,
  VERIFY_REJECTED: -26,
  VERIFY_ALREADY_IN_CHAIN: -27,
  MISC_ERROR: -1,
  TYPE_ERROR: -3,
  ENCRYPTION_FAILED: -16,
  INTERNAL_ERROR: -32603,
} as const;

export type WalletErrorCode = keyof typeof WALLET_ERROR_RPC_CODES;

/** Core's exact messages for the errors that have a fixed text. */
export const WALLET_MESSAGES = {
  UNLOCK_NEEDED: 'Error: Please enter the wallet passphrase with walletpassphrase first.',
  PASSPHRASE_INCORRECT: 'Error: The wallet passphrase entered was incorrect.',
  INSUFFICIENT_FUNDS: 'Insufficient funds',
  PRIVATE_KEYS_DISABLED: 'Error: Private keys are disabled for this wallet',
  KEYPOOL_RAN_OUT: 'Error: This wallet has no available keys',
  INVALID_TX: 'Invalid or non-wallet transaction id',
  NOT_ENCRYPTED_UNLOCK: 'Error: running with an unencrypted wallet, but walletpassphrase was called.',
  NOT_ENCRYPTED_LOCK: 'Error: running with an unencrypted wallet, but walletlock was called.',
  NOT_ENCRYPTED_CHANGE: 'Error: running with an unencrypted wallet, but walletpassphrasechange was called.',
  ALREADY_ENCRYPTED: 'Error: running with an encrypted wallet, but encryptwallet was called.',
} as const;

export class WalletError extends Error {
  override readonly name = 'WalletError';
  constructor(
    readonly code: WalletErrorCode,
    message: string,
  ) {
    super(message);
  }
  /** bitcoind's numeric RPC error code. */
  get rpcCode(): number {
    return WALLET_ERROR_RPC_CODES[this.code];
  }
}

export interface CreateWalletOptions {
  readonly name: string;
  readonly passphrase?: string;
  readonly disablePrivateKeys?: boolean;
  /** No keys at all (Core's blank wallet); a seed can be set later. */
  readonly blank?: boolean;
  /** true: add to settings.json `wallet`; false: remove; absent: leave the setting as is. */
  readonly loadOnStartup?: boolean;
  /** BIP39 mnemonic to derive the seed from (random 24 words when absent). */
  readonly mnemonic?: string;
}

export interface WalletManagerApi {
  /** Persists, loads, returns it. */
  create(o: CreateWalletOptions): Promise<WalletApi>;
  /** Catches up with the chain (rescan from its last processed block). */
  load(name: string, loadOnStartup?: boolean): Promise<WalletApi>;
  unload(name: string, loadOnStartup?: boolean): Promise<void>;
  /** listwallets */
  loaded(): readonly string[];
  /** listwalletdir */
  onDisk(): readonly string[];
  get(name: string): WalletApi | undefined;
  /** restorewallet: a new wallet from a backupwallet file, loaded (and rescanned from its best block). */
  restore(name: string, backupFile: string, loadOnStartup?: boolean): Promise<WalletApi>;
  close(): Promise<void>;
}

export interface WalletBalances {
  trusted: number;
  untrustedPending: number;
  immature: number;
}

export interface WalletInfo {
  name: string;
  txCount: number;
  keypoolSize: number;
  keypoolSizeHdInternal: number;
  /** unix seconds; 0 = locked; absent = unencrypted. */
  unlockedUntil?: number;
  privateKeysEnabled: boolean;
  encrypted: boolean;
  scanning: false | { duration: number; progress: number };
  lastProcessedBlock: { hash: string; height: number };
  birthTime?: number;
  descriptors: true;
  /** Created blank (Core's WALLET_FLAG_BLANK_WALLET); absent is read as false. */
  blank?: boolean;
}

export interface AddressInfo {
  address: string;
  scriptPubKey: Uint8Array;
  isMine: boolean;
  isWatchOnly: boolean;
  solvable: boolean;
  isScript: boolean;
  isWitness: boolean;
  witnessVersion?: number;
  witnessProgram?: Uint8Array;
  pubkey?: Uint8Array;
  isCompressed?: boolean;
  isChange: boolean;
  hdKeyPath?: string;
  hdMasterFingerprint?: string;
  labels: string[];
  desc?: string;
  embedded?: Omit<AddressInfo, 'embedded' | 'labels' | 'isMine' | 'isWatchOnly' | 'isChange'>;
  /** Script type of a P2SH/P2WSH redeem/witness script: 'multisig', 'witness_v0_keyhash', … */
  script?: string;
  hex?: Uint8Array;
  sigsRequired?: number;
  pubkeys?: Uint8Array[];
}

export type WalletTxCategory = 'send' | 'receive' | 'generate' | 'immature' | 'orphan';

export interface WalletTxDetail {
  address?: string;
  category: WalletTxCategory;
  /** Negative for send. */
  amount: number;
  label?: string;
  vout: number;
  /** Negative; on send entries when every input is ours. */
  fee?: number;
  abandoned?: boolean;
  involvesWatchonly?: boolean;
}

/** Where a wallet transaction stands and what the wallet noted about it: what Core's WalletTxToJSON prints. */
export interface WalletTxStatus {
  txid: string;
  wtxid: string;
  time: number;
  timeReceived: number;
  blockHash?: string;
  blockHeight?: number;
  blockIndex?: number;
  blockTime?: number;
  /** Negative = conflicted, 0 = unconfirmed. */
  confirmations: number;
  trusted?: boolean;
  replaceable: 'yes' | 'no' | 'unknown';
  generated: boolean;
  walletConflicts: string[];
  comment?: string;
  commentTo?: string;
  /** bumpfee: the replacement's txid (Core's mapValue "replaced_by_txid"). */
  replacedBy?: string;
  /** bumpfee: the replaced transaction's txid ("replaces_txid"). */
  replaces?: string;
}

export interface WalletTx extends WalletTxStatus {
  tx: Transaction;
  hex: string;
  trusted: boolean;
  /** Net amount to the wallet (credit - debit, excluding fee for sends), satoshis. */
  amount: number;
  /** Negative, only when every input is ours. */
  fee?: number;
  details: WalletTxDetail[];
}

/** One listtransactions entry (Core's shape, camelCase; RPC renames). */
export interface WalletTxEntry extends WalletTxDetail, WalletTxStatus {}

export interface WalletUtxo {
  txid: string;
  vout: number;
  address?: string;
  label?: string;
  scriptPubKey: Uint8Array;
  amount: number;
  confirmations: number;
  redeemScript?: Uint8Array;
  witnessScript?: Uint8Array;
  spendable: boolean;
  solvable: boolean;
  safe: boolean;
  desc?: string;
  coinbase: boolean;
}

/** Core's address book purposes: addresses of the wallet's own are "receive", others "send". */
export type AddressPurpose = 'receive' | 'send';

export interface ReceivedFilter {
  readonly minConf: number;
  readonly includeEmpty: boolean;
  readonly includeWatchOnly: boolean;
  readonly address?: string;
  readonly includeImmatureCoinbase: boolean;
}

/** One listreceivedbyaddress entry; amount in satoshis, txids display hex. */
export interface ReceivedByAddress {
  readonly involvesWatchonly: boolean;
  readonly address: string;
  readonly amount: number;
  /** Of the least-confirmed transaction counted; 0 when none. */
  readonly confirmations: number;
  readonly label: string;
  readonly txids: string[];
}

/** One listdescriptors entry (Core's shape, camelCase; the RPC also prints nextIndex as "next"). */
export interface ListedDescriptor {
  /** With checksum; private keys (tprv, WIF) only when asked for. */
  readonly desc: string;
  /** Unix seconds: the wallet's birth time for its HD chains, the import timestamp otherwise. */
  readonly timestamp: number;
  readonly active: boolean;
  /** Only for active descriptors: whether it serves change addresses. */
  readonly internal?: boolean;
  /** Ranged only: [first, last] index derived. */
  readonly range?: readonly [number, number];
  /** Ranged only. */
  readonly nextIndex?: number;
}

export interface WalletApi {
  readonly name: string;
  info(): WalletInfo;
  isEncrypted(): boolean;
  isLocked(): boolean;
  getNewAddress(label?: string, type?: AddressType): Promise<string>;
  getRawChangeAddress(type?: AddressType): Promise<string>;
  getAddressInfo(address: string): AddressInfo;
  balances(opts?: { minConf?: number; includeWatchOnly?: boolean }): WalletBalances;
  /** getbalance "*" minconf */
  balance(minConf: number, includeWatchOnly?: boolean): number;
  listUnspent(f: UnspentFilter): WalletUtxo[];
  /** Core's shape, oldest first within the page (count newest, skipping `skip` newest). */
  listTransactions(
    label: string | undefined,
    count: number,
    skip: number,
    includeWatchOnly: boolean,
  ): WalletTxEntry[];
  /** WalletError INVALID_ADDRESS_OR_KEY "Invalid or non-wallet transaction id". */
  getTransaction(txid: string, includeWatchOnly?: boolean): WalletTx;
  /** Builds, signs, broadcasts through the mempool, records. */
  send(req: SendRequest): Promise<{ txid: string; feeRate: number; fee: number }>;
  createFundedPsbt(req: FundedPsbtRequest): Promise<{ psbt: Psbt; fee: number; changePos: number }>;
  processPsbt(
    psbt: Psbt,
    o: { sign: boolean; sighashType?: number; bip32Derivs: boolean; finalize: boolean },
  ): Promise<{ psbt: Psbt; complete: boolean }>;
  signRawTransaction(
    tx: Transaction,
    prevtxs: SignRawPrevTx[],
    sighashType: number,
  ): { tx: Transaction; complete: boolean; errors: SignRawError[] };
  /** encryptwallet */
  encrypt(passphrase: string): Promise<void>;
  unlock(passphrase: string, seconds: number): Promise<void>;
  lock(): void;
  changePassphrase(oldPass: string, newPass: string): Promise<void>;
  importAddress(scriptOrAddress: string, label: string, rescan: boolean, p2sh: boolean): Promise<void>;
  importDescriptors(reqs: ImportDescriptorRequest[]): Promise<ImportDescriptorResult[]>;
  addMultisigAddress(
    nRequired: number,
    keys: string[],
    label: string | undefined,
    type: AddressType,
  ): Promise<{ address: string; redeemScript: Uint8Array; descriptor: string }>;
  rescan(fromHeight: number, toHeight?: number): Promise<{ startHeight: number; stopHeight: number }>;
  abortRescan(): boolean;
  /** BIP125 fee bump of a wallet transaction (WalletError with Core's feebumper messages). */
  bumpFee(txid: string, req: BumpFeeRequest): Promise<BumpFeeResult>;
  /** psbtbumpfee: the replacement unsigned, for wallets that cannot sign it alone; commits nothing. */
  psbtBumpFee(txid: string, req: BumpFeeRequest): Promise<PsbtBumpFeeResult>;
  abandonTransaction(txid: string): Promise<void>;
  /** lockunspent; `coins` undefined with unlock: unlock all. */
  lockUnspent(unlock: boolean, coins: readonly CoinRef[] | undefined, persistent: boolean): Promise<void>;
  listLockUnspent(): CoinRef[];
  /** setlabel: any valid address (the wallet's own become "receive" entries, others "send"). */
  setLabel(address: string, label: string): Promise<void>;
  listLabels(purpose?: AddressPurpose): string[];
  listReceivedByAddress(f: ReceivedFilter): ReceivedByAddress[];
  /** listdescriptors; private: WalletError -13 when locked, "Can't get descriptor string." (-4). */
  listDescriptors(priv: boolean): Promise<ListedDescriptor[]>;
  /** backupwallet: one new file (a directory gets <name>.bak); "Error: Wallet backup failed!" (-4). */
  backup(destination: string): Promise<string>;
  /** keypoolrefill: no unlock needed (derivation from xpubs); -8 bad size, -4 when short. */
  keypoolRefill(newSize?: number): void;
  /** signmessage (base64); WalletError -13 locked, -5 invalid address, -3 not P2PKH, -4 no private key. */
  signMessage(address: string, message: string): string;
  /** listsinceblock: WalletError "Block not found" (-5), "Invalid parameter" (-8). */
  listSinceBlock(req: SinceBlockRequest): Promise<SinceBlockResult>;
}
