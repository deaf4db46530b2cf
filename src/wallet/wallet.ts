import type { ChainEntry } from '../chain/chain-entry.js';
import { fromDisplayHex } from '../encoding/hex.js';
import type { Block } from '../primitives/block.js';
import type { Transaction } from '../primitives/transaction.js';
import {
  type AddressInfo,
  type AddressPurpose,
  type BumpFeeRequest,
  type BumpFeeResult,
  type PsbtBumpFeeResult,
  type CoinRef,
  type ReceivedByAddress,
  type ReceivedFilter,
  type AddressType,
  type FundedPsbtRequest,
  type ImportDescriptorRequest,
  type ImportDescriptorResult,
  type ListedDescriptor,
  type SendRequest,
  type SignRawError,
  type SignRawPrevTx,
  type UnspentFilter,
  WALLET_MESSAGES,
  type WalletApi,
  type WalletBalances,
  WalletError,
  type WalletInfo,
  type WalletTx,
  type WalletTxEntry,
  type WalletUtxo,
} from './api.js';
import { listLabels, listReceivedByAddress } from './address-book.js';
import { backupWallet } from './backup.js';
import { listLockUnspent, lockUnspent } from './coin-locks.js';
import { importDescriptors } from './descriptor-import.js';
import { addMultisigAddress, importAddress } from './imports.js';
import { keypoolRefill } from './keypool-refill.js';
import { listDescriptors } from './list-descriptors.js';
import { labelKey } from './layout.js';
import { changeWalletPassphrase, encryptWallet, lockWallet, unlockWallet } from './wallet-encryption.js';
import type { WalletNodeEvents, WalletNodeListener } from './node-events.js';
import type { Psbt } from './psbt/psbt.js';
import { abandonTransaction } from './spend/abandon.js';
import { bumpFee, psbtBumpFee } from './spend/bump-fee.js';
import { createFundedPsbt, send } from './spend/send.js';
import { processPsbt, signRawTransaction } from './spend/psbt-ops.js';
import { signWalletMessage } from './sign-message.js';
import { put, type WalletDbOp } from './store/wallet-db.js';
import { walletBalances } from './tracking/balances.js';
import { Rescanner } from './tracking/rescan.js';
import { walletInfo } from './wallet-info.js';
import { type ResubmitReport, resubmitWalletTransactions } from './tracking/resubmit.js';
import { listSinceBlock, type SinceBlockRequest, type SinceBlockResult } from './tracking/since-block.js';
import { bestBlockOp } from './tracking/tx-tracker.js';
import { addressInfo, getTransaction, listTransactions, listUnspent } from './wallet-reads.js';
import { type WalletState, WriteQueue } from './wallet-state.js';

/**
 * One loaded wallet (Core's CWallet): follows the chain and the mempool through their events,
 * answers the RPC layer through WalletApi, and persists every change in its own database.
 */
export class Wallet implements WalletApi {
  readonly queue: WriteQueue;
  readonly #rescanner: Rescanner;
  #catchingUp = false;
  readonly #listener: WalletNodeListener;

  /** `events`: the manager's one subscription to the chain and mempool, shared by all wallets. */
  constructor(
    readonly state: WalletState,
    private readonly events: WalletNodeEvents,
  ) {
    this.queue = new WriteQueue(state.db, state.logger);
    this.#rescanner = new Rescanner(state.chain);
    this.#listener = {
      blockConnected: (block, entry) => this.#onConnected(block, entry),
      blockDisconnected: (block, entry) => this.#onDisconnected(block, entry),
      transactionAdded: (entry) => this.#onMempoolTx(entry.tx),
      transactionRemoved: (txid) => state.tracker.removedFromMempool(txid),
    };
  }

  get name(): string {
    return this.state.name;
  }

  /** Starts following the chain and mempool, then catches up from the last processed block. */
  async start(): Promise<void> {
    const { mempool } = this.state;
    this.events.add(this.#listener);
    await this.#catchUp();
    if (mempool !== undefined) {
      const ops: WalletDbOp[] = [];
      for (const entry of mempool.entries()) this.state.tracker.fromMempool(entry.tx, ops);
      await this.queue.write(ops);
      await resubmitWalletTransactions(this.state);
    }
  }

  /** Core's ResubmitWalletTransactions(relay=true, force=false), from MaybeResendWalletTxs. */
  rebroadcast(relay: (txid: Uint8Array) => boolean): Promise<ResubmitReport> {
    return resubmitWalletTransactions(this.state, { relay, force: false });
  }

  async close(): Promise<void> {
    this.events.remove(this.#listener);
    await this.#rescanner.stop();
    await this.queue.drain().catch(() => undefined);
    this.state.signingKeys.wipe();
    this.state.keystore?.close();
    await this.state.db.close();
  }

  #onConnected(block: Block, entry: ChainEntry): void {
    const ops: WalletDbOp[] = [];
    this.state.book.tipHeight = entry.height;
    this.state.tracker.connectBlock(block, entry, ops, !this.#catchingUp);
    if (!this.#catchingUp) this.state.lastBlock = { hash: entry.hashHex(), height: entry.height };
    void this.queue.write(ops);
  }

  #onDisconnected(block: Block, entry: ChainEntry): void {
    const ops: WalletDbOp[] = [];
    this.state.book.tipHeight = entry.height - 1;
    this.state.tracker.disconnectBlock(block, entry, ops, !this.#catchingUp);
    if (!this.#catchingUp && entry.prev !== undefined) {
      this.state.lastBlock = { hash: entry.prev.hashHex(), height: entry.prev.height };
    }
    void this.queue.write(ops);
  }

  #onMempoolTx(tx: Transaction): void {
    const ops: WalletDbOp[] = [];
    this.state.tracker.fromMempool(tx, ops);
    void this.queue.write(ops);
  }

  /**
   * Brings the wallet to the chain's tip after a restart: transactions confirmed in blocks that
   * are no longer in the active chain (a reorg while unloaded, or blocks the chain lost in a
   * crash) become unconfirmed, then blocks after the last one processed are scanned.
   */
  async #catchUp(): Promise<void> {
    const { chain, book } = this.state;
    book.tipHeight = chain.height;
    const last = this.state.lastBlock ?? { hash: '', height: -1 };
    let start = last.height + 1;
    const ops: WalletDbOp[] = [];
    for (const wtx of book.txs.values()) {
      const pos = wtx.block ?? (wtx.conflict === undefined ? undefined : { ...wtx.conflict });
      if (pos === undefined) continue;
      if (chain.getEntryAtHeight(pos.height)?.hashHex() === pos.hash) continue;
      if (wtx.block !== undefined) wtx.block = undefined;
      else wtx.conflict = undefined;
      start = Math.min(start, pos.height);
      this.state.tracker.moved(wtx, ops);
    }
    if (last.hash !== '') {
      const entry = chain.getEntry(fromDisplayHex(last.hash));
      let e: ChainEntry | undefined = entry;
      while (e !== undefined && !chain.isOnActiveChain(e)) e = e.prev;
      start = Math.min(start, e === undefined ? Math.min(last.height, chain.height) + 1 : e.height + 1);
    }
    await this.queue.write(ops);
    if (start > chain.height) return;
    this.#catchingUp = true;
    try {
      await this.#rescanner.scan(Math.max(0, start), undefined, {
        connect: (block, entry, batch) => this.state.tracker.connectBlock(block, entry, batch, false),
        flush: async (batch, lastEntry) => {
          batch.push(bestBlockOp(lastEntry));
          this.state.lastBlock = { hash: lastEntry.hashHex(), height: lastEntry.height };
          await this.queue.write(batch);
        },
      });
    } finally {
      this.#catchingUp = false;
    }
    // Blocks connected by live events during the scan were matched too; record the tip reached.
    const tip = chain.tip;
    this.state.lastBlock = { hash: tip.hashHex(), height: tip.height };
    await this.queue.write([bestBlockOp(tip)]);
  }

  info(): WalletInfo {
    return walletInfo(this.state, this.#rescanner.progress);
  }

  isEncrypted(): boolean {
    return this.state.keystore?.isEncrypted === true;
  }

  isLocked(): boolean {
    return this.state.keystore?.isLocked === true;
  }

  async getNewAddress(label = '', type: AddressType = 'bech32'): Promise<string> {
    return this.#nextAddress(type, false, label);
  }

  async getRawChangeAddress(type: AddressType = 'bech32'): Promise<string> {
    return this.#nextAddress(type, true, undefined);
  }

  async #nextAddress(type: AddressType, internal: boolean, label: string | undefined): Promise<string> {
    const s = this.state;
    if (!s.scripts.hasChains) throw new WalletError('KEYPOOL_RAN_OUT', WALLET_MESSAGES.KEYPOOL_RAN_OUT);
    // Core's GetNewDestination without a ScriptPubKeyMan of the type (a wallet created before
    // BIP86 accounts has no bech32m chain): RPC_WALLET_KEYPOOL_RAN_OUT with this text.
    if (s.scripts.chain(type, internal) === undefined)
      throw new WalletError('KEYPOOL_RAN_OUT', `Error: No ${type} addresses available.`);
    const next = s.scripts.next(type, internal);
    if (next === undefined || next.script.address === null) {
      throw new WalletError('KEYPOOL_RAN_OUT', WALLET_MESSAGES.KEYPOOL_RAN_OUT);
    }
    const address = next.script.address;
    const ops: WalletDbOp[] = [next.chain.indexOp()];
    if (label !== undefined) {
      ops.push(put(labelKey(address), { label }));
      s.labels.set(address, label);
    }
    // Synced: after a power cut an address already shown must not be handed out again.
    await this.queue.write(ops, true);
    return address;
  }

  /** Sets the label of an address (setlabel). */
  async setLabel(address: string, label: string): Promise<void> {
    this.state.labels.set(address, label);
    await this.queue.write([put(labelKey(address), { label })]);
  }

  balances(opts: { minConf?: number; includeWatchOnly?: boolean } = {}): WalletBalances {
    return walletBalances(this.state.book, opts.minConf ?? 0, opts.includeWatchOnly ?? false);
  }

  balance(minConf: number, includeWatchOnly = false): number {
    return walletBalances(this.state.book, minConf, includeWatchOnly).trusted;
  }

  getAddressInfo(address: string): AddressInfo {
    return addressInfo(this.state, address);
  }

  listUnspent(f: UnspentFilter): WalletUtxo[] {
    return listUnspent(this.state, f);
  }

  listTransactions(
    label: string | undefined,
    count: number,
    skip: number,
    includeWatchOnly: boolean,
  ): WalletTxEntry[] {
    return listTransactions(this.state, label, count, skip, includeWatchOnly);
  }

  getTransaction(txid: string, includeWatchOnly = false): WalletTx {
    return getTransaction(this.state, txid, includeWatchOnly);
  }

  send(req: SendRequest): Promise<{ txid: string; feeRate: number; fee: number }> {
    return send(this.state, this.queue, req);
  }

  createFundedPsbt(req: FundedPsbtRequest): Promise<{ psbt: Psbt; fee: number; changePos: number }> {
    return createFundedPsbt(this.state, this.queue, req);
  }

  processPsbt(
    psbt: Psbt,
    o: { sign: boolean; sighashType?: number; bip32Derivs: boolean; finalize: boolean },
  ): Promise<{ psbt: Psbt; complete: boolean }> {
    return Promise.resolve(processPsbt(this.state, psbt, o));
  }

  signRawTransaction(
    tx: Transaction,
    prevtxs: SignRawPrevTx[],
    sighashType: number,
  ): { tx: Transaction; complete: boolean; errors: SignRawError[] } {
    return signRawTransaction(this.state, tx, prevtxs, sighashType);
  }

  encrypt(passphrase: string): Promise<void> {
    return encryptWallet(this.state, passphrase);
  }

  unlock(passphrase: string, seconds: number): Promise<void> {
    return unlockWallet(this.state, passphrase, seconds);
  }

  lock(): void {
    lockWallet(this.state);
  }

  changePassphrase(oldPass: string, newPass: string): Promise<void> {
    return changeWalletPassphrase(this.state, oldPass, newPass);
  }

  importAddress(scriptOrAddress: string, label: string, rescan: boolean, p2sh: boolean): Promise<void> {
    return importAddress(this, scriptOrAddress, label, rescan, p2sh);
  }

  importDescriptors(reqs: ImportDescriptorRequest[]): Promise<ImportDescriptorResult[]> {
    return importDescriptors(this, reqs);
  }

  addMultisigAddress(
    nRequired: number,
    keys: string[],
    label: string | undefined,
    type: AddressType,
  ): Promise<{ address: string; redeemScript: Uint8Array; descriptor: string }> {
    return addMultisigAddress(this, nRequired, keys, label, type);
  }

  async rescan(fromHeight: number, toHeight?: number): Promise<{ startHeight: number; stopHeight: number }> {
    const tip = this.state.chain.height;
    if (!Number.isInteger(fromHeight) || fromHeight < 0 || fromHeight > tip) {
      throw new WalletError('INVALID_PARAMETER', 'Invalid start_height');
    }
    if (toHeight !== undefined && (!Number.isInteger(toHeight) || toHeight < 0 || toHeight > tip)) {
      throw new WalletError('INVALID_PARAMETER', 'Invalid stop_height');
    }
    if (toHeight !== undefined && toHeight < fromHeight) {
      throw new WalletError('INVALID_PARAMETER', 'stop_height must be greater than start_height');
    }
    const result = await this.#rescanner.scan(fromHeight, toHeight, {
      connect: (block, entry, ops) => this.state.tracker.connectBlock(block, entry, ops, false),
      flush: (ops) => this.queue.write(ops),
    });
    if (result.aborted) throw new WalletError('MISC_ERROR', 'Rescan aborted by user.');
    return { startHeight: result.startHeight, stopHeight: result.stopHeight };
  }

  abortRescan(): boolean {
    return this.#rescanner.abort();
  }

  bumpFee(txid: string, req: BumpFeeRequest): Promise<BumpFeeResult> {
    return bumpFee(this.state, this.queue, txid, req);
  }

  psbtBumpFee(txid: string, req: BumpFeeRequest): Promise<PsbtBumpFeeResult> {
    return psbtBumpFee(this.state, this.queue, txid, req);
  }

  abandonTransaction(txid: string): Promise<void> {
    return abandonTransaction(this.state, this.queue, txid);
  }

  lockUnspent(unlock: boolean, coins: readonly CoinRef[] | undefined, persistent: boolean): Promise<void> {
    return lockUnspent(this.state, this.queue, unlock, coins, persistent);
  }

  listLockUnspent(): CoinRef[] {
    return listLockUnspent(this.state);
  }

  listLabels(purpose?: AddressPurpose): string[] {
    return listLabels(this.state, purpose);
  }

  listReceivedByAddress(f: ReceivedFilter): ReceivedByAddress[] {
    return listReceivedByAddress(this.state, f);
  }

  listDescriptors(priv: boolean): Promise<ListedDescriptor[]> {
    return listDescriptors(this.state, priv);
  }

  backup(destination: string): Promise<string> {
    return backupWallet(this.state, this.queue, destination);
  }

  keypoolRefill(newSize?: number): void {
    keypoolRefill(this.state, newSize);
  }

  signMessage(address: string, message: string): string {
    return signWalletMessage(this.state, address, message);
  }

  listSinceBlock(req: SinceBlockRequest): Promise<SinceBlockResult> {
    return listSinceBlock(this.state, req);
  }
}
