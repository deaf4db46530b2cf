import type { ChainEntry } from '../chain/chain-entry.js';
import type { PeerConnection, RemotePeer } from './peer-connection.js';
import { RollingKeySet } from './rolling-key-set.js';
import type { EncodeOptions, NetMessage } from './wire/message.js';
import type { NetAddress } from './wire/net-address.js';

/** Core's connection types that Tally opens or accepts (getpeerinfo's connection_type). */
export type ConnectionType = 'inbound' | 'outbound-full-relay' | 'manual';

/** Core's m_tx_inventory_known_filter size (50,000) and a smaller one for blocks. */
const KNOWN_TXS = 50_000;
const KNOWN_BLOCKS = 10_000;
/**
 * Messages waiting to be handled for one peer before we stop reading its socket. Core handles one
 * message per peer per turn and stops reading at 5 MB of unprocessed data (-maxreceivebuffer);
 * 64 messages bounds memory the same way without weighing each one.
 */
const MAX_PENDING_MESSAGES = 64;

export interface PeerOptions {
  readonly id: number;
  readonly type: ConnectionType;
  /** `host:port` as we dialled it or as the socket reports it. */
  readonly addr: string;
  readonly address: NetAddress | undefined;
  /** Unix seconds. */
  readonly now: () => number;
  /** Whatever a message handler threw (a bug, or the chain closing under us). */
  readonly onError: (peer: Peer, err: unknown) => void;
}

/**
 * One connected peer and everything the node remembers about it: what it told us about its chain,
 * which blocks and transactions it knows (so we never announce them back), what we asked it for,
 * its relay preferences, and the counters getpeerinfo reports. The connection itself stays in
 * PeerConnection; this class adds no I/O except send().
 *
 * Messages from one peer are handled one at a time, in order (a serial queue), as Core does: a
 * `block` must not overtake the `headers` that announced it.
 */
export class Peer {
  readonly id: number;
  readonly conn: PeerConnection;
  readonly type: ConnectionType;
  readonly addr: string;
  readonly address: NetAddress | undefined;
  /** Unix seconds. */
  readonly connTime: number;
  remote: RemotePeer | undefined;
  /** Their clock minus ours at the handshake, in seconds. */
  timeOffset = 0;
  lastSend = 0;
  lastRecv = 0;
  /** When the peer last gave us a new block / a transaction we accepted (Unix seconds). */
  lastBlock = 0;
  lastTransaction = 0;

  // Block sync.
  /** The most-work header this peer is known to have (Core's pindexBestKnownBlock). */
  bestKnown: ChainEntry | undefined;
  /** The last block we and this peer both have (Core's pindexLastCommonBlock). */
  lastCommon: ChainEntry | undefined;
  /** The newest header we sent it (Core's pindexBestHeaderSent): its ancestors are known to it. */
  bestHeaderSent: ChainEntry | undefined;
  /** When our unanswered `getheaders` went out (ms), if one is outstanding. */
  headersRequestedAt: number | undefined;
  /** It announced a block we lack while a `getheaders` was out: ask again after the answer. */
  headersWanted = false;
  /** The peer answered a `getheaders` with nothing new: do not ask it again unprompted. */
  headersExhausted = false;
  /** BIP130: the peer asked for block announcements as `headers`. */
  sendHeaders = false;
  readonly knownBlocks = new RollingKeySet(KNOWN_BLOCKS);
  /** Keys of blocks requested from this peer and not yet received. */
  readonly blocksInFlight = new Set<string>();

  // Transaction relay.
  /** BIP133: announce only transactions paying at least this (sat/kvB). */
  feeFilter = 0;
  /** Keys (wtxid or txid, as announced to this peer) it is known to have. */
  readonly knownTxs = new RollingKeySet(KNOWN_TXS);
  /** txid key → txid of transactions waiting for the next announcement round. */
  readonly txQueue = new Map<string, Uint8Array>();

  // Address relay.
  answeredGetAddr = false;
  addrProcessed = 0;
  addrRateLimited = 0;
  /** Core's addr token bucket: 1 to start, 1,000 more after our getaddr, then 0.1 per second. */
  addrTokens = 1;
  addrTokensAt: number;

  private readonly now: () => number;
  private readonly onError: (peer: Peer, err: unknown) => void;
  private queue: Promise<void> = Promise.resolve();
  private pending = 0;
  private paused = false;

  constructor(options: PeerOptions, deps: { readonly conn: PeerConnection }) {
    this.id = options.id;
    this.type = options.type;
    this.addr = options.addr;
    this.address = options.address;
    this.now = options.now;
    this.onError = options.onError;
    this.conn = deps.conn;
    this.connTime = options.now();
    this.addrTokensAt = this.connTime;
  }

  get inbound(): boolean {
    return this.type === 'inbound';
  }

  get isOpen(): boolean {
    return !this.conn.isClosed;
  }

  /** BIP339 negotiated: transactions are announced and requested by wtxid. */
  get wtxidRelay(): boolean {
    return this.remote?.wtxidRelay ?? false;
  }

  /** The peer wants transaction announcements (BIP37 relay flag in its `version`). */
  get relayTxs(): boolean {
    return this.remote?.version.relay ?? false;
  }

  send(message: NetMessage, options?: EncodeOptions): boolean {
    this.lastSend = this.now();
    return this.conn.send(message, options);
  }

  /**
   * Resolves when the send queue drained below its soft limit, or the connection closed. Serving
   * a large `getdata` waits here between blocks, so a slow reader costs us one block of memory.
   */
  waitForDrain(): Promise<void> {
    if (this.conn.isClosed) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.conn.off('drain', done);
        this.conn.off('close', done);
        resolve();
      };
      this.conn.on('drain', done);
      this.conn.on('close', done);
    });
  }

  /** Handles `task` after every earlier one of this peer; reading pauses while many wait. */
  enqueue(task: () => Promise<void> | void): void {
    this.pending++;
    if (this.pending > MAX_PENDING_MESSAGES && !this.paused) {
      this.paused = true;
      this.conn.pauseReceive();
    }
    this.queue = this.queue
      .then(async () => {
        if (!this.conn.isClosed) await task();
      })
      .catch((err: unknown) => this.onError(this, err))
      .finally(() => {
        this.pending--;
        if (this.paused && this.pending <= MAX_PENDING_MESSAGES / 2) {
          this.paused = false;
          this.conn.resumeReceive();
        }
      });
  }

  /** Resolves when every queued message has been handled. */
  idle(): Promise<void> {
    return this.queue;
  }

  /** The peer gave us a transaction we accepted. */
  noteTransaction(): void {
    this.lastTransaction = this.now();
  }

  /** The peer gave us a block that extended our chain. */
  noteBlock(): void {
    this.lastBlock = this.now();
  }

  /** Records that the peer has `entry` (Core's UpdateBlockAvailability). */
  noteHasBlock(entry: ChainEntry): void {
    this.knownBlocks.add(entry.key);
    if (this.bestKnown === undefined || entry.chainwork > this.bestKnown.chainwork) this.bestKnown = entry;
  }
}
