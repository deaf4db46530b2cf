import { getRandomValues, randomBytes } from 'node:crypto';
import { concatBytes } from '../encoding/bytes.js';
import { hash256 } from '../crypto/hash.js';
import { addressGroup, isRoutable, isValid } from './address-class.js';
import { type AddrEntry, copyEntry, isTerrible, selectionChance } from './addrman-entry.js';
import type { PeerAddress } from './wire/addr.js';
import { ServiceFlags } from './wire/constants.js';
import { BIP155_NETWORK_ID, type NetAddress, netAddressKey } from './wire/net-address.js';

/**
 * The address manager (Core's AddrMan, simplified): which peers we know and which to dial next.
 *
 * Two fixed-size tables of buckets bound memory and limit what any one source can fill:
 * - new: addresses heard of but never connected to. The bucket is a keyed hash of the source's group
 *   and the address's group, so one peer (one /16) can reach only 64 of the 1,024 buckets.
 * - tried: addresses we have connected to. The bucket is a keyed hash of the address's group, so
 *   one /16 can occupy only 8 of the 256 buckets.
 * The key is secret and random, so an attacker cannot aim addresses at chosen slots (the eclipse
 * attack of Heilman et al., 2015). Simplifications: one new-table reference per address (Core keeps
 * up to 8), and a tried-table collision evicts the old entry to the new table at once (Core first
 * test-connects the old one).
 */
export interface AddrManOptions {
  /** 32-byte bucketing key; random by default, persisted with the tables. */
  readonly key?: Uint8Array;
  /** Current UNIX time in seconds. */
  readonly now?: () => number;
  /** Uniform random number in [0, 1). */
  readonly random?: () => number;
  /** Table geometry; Core's 1,024 / 256 / 64 unless a test wants small tables. */
  readonly newBuckets?: number;
  readonly triedBuckets?: number;
  readonly bucketSize?: number;
}

const NEW_BUCKETS_PER_SOURCE_GROUP = 64;
const TRIED_BUCKETS_PER_GROUP = 8;
/** Selection stops after this many draws; the 1.2 growth of the chance factor ends it far sooner. */
const MAX_SELECT_DRAWS = 1_000;

function secureRandom(): number {
  return getRandomValues(new Uint32Array(1))[0]! / 2 ** 32;
}

/** A set of ids with O(1) insert, delete and uniform random pick. */
class IdSet {
  private readonly ids: number[] = [];
  private readonly index = new Map<number, number>();
  get size(): number {
    return this.ids.length;
  }
  add(id: number): void {
    if (this.index.has(id)) return;
    this.index.set(id, this.ids.length);
    this.ids.push(id);
  }
  delete(id: number): void {
    const i = this.index.get(id);
    if (i === undefined) return;
    const last = this.ids.pop()!;
    if (last !== id) {
      this.ids[i] = last;
      this.index.set(last, i);
    }
    this.index.delete(id);
  }
  at(i: number): number {
    return this.ids[i]!;
  }
  values(): readonly number[] {
    return this.ids;
  }
}

interface Slot {
  entry: AddrEntry;
  bucket: number;
  position: number;
}

const u32 = (n: number): Uint8Array => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n >>> 0, true);
  return b;
};

function addressBytes(a: NetAddress): Uint8Array {
  return concatBytes(
    Uint8Array.of(BIP155_NETWORK_ID[a.network]),
    a.bytes,
    Uint8Array.of(a.port >> 8, a.port & 0xff),
  );
}

export class AddrMan {
  readonly key: Uint8Array;
  /** When any address last succeeded: failures are counted once per success (see attempt()). */
  lastGood = 1;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly newBuckets: number;
  private readonly triedBuckets: number;
  private readonly bucketSize: number;
  private readonly newTable: Int32Array;
  private readonly triedTable: Int32Array;
  private readonly slots = new Map<number, Slot>();
  private readonly byKey = new Map<string, number>();
  private readonly newIds = new IdSet();
  private readonly triedIds = new IdSet();
  private nextId = 0;

  constructor(options: AddrManOptions = {}) {
    this.key = options.key ?? new Uint8Array(randomBytes(32));
    if (this.key.length !== 32) throw new RangeError('the addrman key is 32 bytes');
    this.now = options.now ?? (() => Math.floor(Date.now() / 1000));
    this.random = options.random ?? secureRandom;
    this.newBuckets = options.newBuckets ?? 1024;
    this.triedBuckets = options.triedBuckets ?? 256;
    this.bucketSize = options.bucketSize ?? 64;
    this.newTable = new Int32Array(this.newBuckets * this.bucketSize).fill(-1);
    this.triedTable = new Int32Array(this.triedBuckets * this.bucketSize).fill(-1);
  }

  get size(): number {
    return this.slots.size;
  }

  counts(): { new: number; tried: number } {
    return { new: this.newIds.size, tried: this.triedIds.size };
  }

  /** Most entries the tables can hold. */
  get capacity(): number {
    return this.newTable.length + this.triedTable.length;
  }

  private hash(tag: number, ...parts: Uint8Array[]): number {
    const h = hash256(concatBytes(this.key, Uint8Array.of(tag), ...parts));
    return new DataView(h.buffer, h.byteOffset, 4).getUint32(0, true);
  }

  private newBucketOf(address: NetAddress, source: NetAddress): number {
    const sourceGroup = addressGroup(source);
    const spread = this.hash(1, addressGroup(address), sourceGroup) % NEW_BUCKETS_PER_SOURCE_GROUP;
    return this.hash(2, sourceGroup, u32(spread)) % this.newBuckets;
  }

  private triedBucketOf(address: NetAddress): number {
    const spread = this.hash(3, addressBytes(address)) % TRIED_BUCKETS_PER_GROUP;
    return this.hash(4, addressGroup(address), u32(spread)) % this.triedBuckets;
  }

  private positionOf(tried: boolean, bucket: number, address: NetAddress): number {
    return this.hash(5, Uint8Array.of(tried ? 1 : 0), u32(bucket), addressBytes(address)) % this.bucketSize;
  }

  private table(tried: boolean): Int32Array {
    return tried ? this.triedTable : this.newTable;
  }

  private idOf(address: NetAddress): number | undefined {
    return this.byKey.get(netAddressKey(address));
  }

  /** Removes an entry from its table slot and from the id sets (not from `slots`). */
  private unplace(id: number): void {
    const slot = this.slots.get(id)!;
    this.table(slot.entry.tried)[slot.bucket * this.bucketSize + slot.position] = -1;
    (slot.entry.tried ? this.triedIds : this.newIds).delete(id);
  }

  private forget(id: number): void {
    const slot = this.slots.get(id);
    if (slot === undefined) return;
    this.unplace(id);
    this.slots.delete(id);
    this.byKey.delete(netAddressKey(slot.entry.address));
  }

  private slotOf(entry: AddrEntry): { bucket: number; position: number; index: number } {
    const bucket = entry.tried
      ? this.triedBucketOf(entry.address)
      : this.newBucketOf(entry.address, entry.source);
    const position = this.positionOf(entry.tried, bucket, entry.address);
    return { bucket, position, index: bucket * this.bucketSize + position };
  }

  /** Puts an entry at its computed slot, evicting whoever is there if `evict` says so. */
  private place(id: number, entry: AddrEntry, evict: (occupant: AddrEntry) => boolean): boolean {
    const { bucket, position, index } = this.slotOf(entry);
    const table = this.table(entry.tried);
    const occupant = table[index]!;
    if (occupant !== -1 && occupant !== id) {
      if (!evict(this.slots.get(occupant)!.entry)) return false;
      this.forget(occupant);
    }
    table[index] = id;
    this.slots.set(id, { entry, bucket, position });
    this.byKey.set(netAddressKey(entry.address), id);
    (entry.tried ? this.triedIds : this.newIds).add(id);
    return true;
  }

  /**
   * Adds gossiped addresses heard from `source`. Only routable addresses are kept (loopback and
   * private ranges come in through addManual). `timePenalty` (seconds) ages second-hand news; Core
   * uses 2 hours for addresses relayed by a peer other than the address itself. Returns how many
   * new entries were created.
   */
  add(addresses: readonly PeerAddress[], source: NetAddress, timePenalty = 0): number {
    let added = 0;
    for (const a of addresses) if (this.addOne(a, source, timePenalty, false)) added++;
    return added;
  }

  /** Adds an address an operator (or a test) named: accepted even when local or private. */
  addManual(address: NetAddress, services: bigint = ServiceFlags.NETWORK | ServiceFlags.WITNESS): boolean {
    return this.addOne({ address, services, time: this.now() }, address, 0, true);
  }

  private addOne(a: PeerAddress, source: NetAddress, penalty: number, manual: boolean): boolean {
    if (!isValid(a.address) || a.address.port === 0) return false;
    if (!manual && !isRoutable(a.address)) return false;
    const existing = this.idOf(a.address);
    if (existing !== undefined) {
      const e = this.slots.get(existing)!.entry;
      // Refresh the time only when it moved on by more than the update interval (1 hour for an
      // address seen in the last day, else a day), so gossip cannot keep an address young cheaply.
      const online = this.now() - a.time < 24 * 60 * 60;
      const interval = online ? 60 * 60 : 24 * 60 * 60;
      if (a.time !== 0 && (e.time === 0 || e.time < a.time - interval - penalty)) {
        e.time = Math.max(0, a.time - penalty);
      }
      e.services |= a.services;
      return false;
    }
    const entry: AddrEntry = {
      address: a.address,
      source,
      services: a.services,
      time: Math.max(0, a.time - penalty),
      lastTry: 0,
      lastCountAttempt: 0,
      lastSuccess: 0,
      attempts: 0,
      tried: false,
    };
    const now = this.now();
    return this.place(this.nextId++, entry, (occupant) => isTerrible(occupant, now));
  }

  /** We completed a handshake with the address: move it to the tried table. */
  good(address: NetAddress): boolean {
    const id = this.idOf(address);
    if (id === undefined) return false;
    const now = this.now();
    const e = this.slots.get(id)!.entry;
    e.lastSuccess = now;
    e.lastTry = now;
    e.attempts = 0;
    this.lastGood = now;
    if (e.tried) return true;
    this.unplace(id);
    e.tried = true;
    const occupant = this.triedTable[this.slotOf(e).index]!;
    if (occupant !== -1) {
      // The slot's old entry goes back to the new table, where it may displace one new entry.
      const old = this.slots.get(occupant)!.entry;
      this.unplace(occupant);
      old.tried = false;
      this.place(occupant, old, () => true);
    }
    this.place(id, e, () => true);
    return true;
  }

  /**
   * A connection attempt. `countFailure` counts it against the address only if some address has
   * succeeded since the last counted failure, so our own outage does not make every address look bad.
   */
  attempt(address: NetAddress, countFailure: boolean): void {
    const id = this.idOf(address);
    if (id === undefined) return;
    const e = this.slots.get(id)!.entry;
    const now = this.now();
    e.lastTry = now;
    if (countFailure && e.lastCountAttempt < this.lastGood) {
      e.lastCountAttempt = now;
      e.attempts++;
    }
  }

  /** The peer was connected until now: refresh its time (at most every 20 minutes, as Core). */
  connected(address: NetAddress): void {
    const id = this.idOf(address);
    if (id === undefined) return;
    const e = this.slots.get(id)!.entry;
    const now = this.now();
    if (now - e.time > 20 * 60) e.time = now;
  }

  setServices(address: NetAddress, services: bigint): void {
    const id = this.idOf(address);
    if (id !== undefined) this.slots.get(id)!.entry.services = services;
  }

  find(address: NetAddress): AddrEntry | undefined {
    const id = this.idOf(address);
    return id === undefined ? undefined : copyEntry(this.slots.get(id)!.entry);
  }

  /**
   * An address to dial: from tried or new with equal odds (or new only), then entries drawn at
   * random and accepted with their selection chance times a factor that grows 1.2x per draw, so
   * the loop ends quickly even when every candidate is a poor one.
   */
  select(newOnly = false): AddrEntry | undefined {
    const useTried = !newOnly && this.triedIds.size > 0 && (this.newIds.size === 0 || this.random() < 0.5);
    const ids = useTried ? this.triedIds : this.newIds;
    if (ids.size === 0) return undefined;
    const now = this.now();
    let factor = 1;
    let entry: AddrEntry | undefined;
    for (let draw = 0; draw < MAX_SELECT_DRAWS; draw++) {
      entry = this.slots.get(ids.at(Math.floor(this.random() * ids.size)))!.entry;
      if (this.random() < factor * selectionChance(entry, now)) break;
      factor *= 1.2;
    }
    return entry === undefined ? undefined : copyEntry(entry);
  }

  /**
   * Addresses for a `getaddr` answer: a random sample of at most `maxPercent`% of the table and
   * `maxCount` entries (Core: 23% and 1,000), skipping terrible ones.
   */
  sample(maxCount = 1_000, maxPercent = 23): PeerAddress[] {
    const all = [...this.slots.values()];
    const limit = Math.min(maxCount, Math.floor((all.length * maxPercent) / 100));
    const now = this.now();
    const out: PeerAddress[] = [];
    for (let i = 0; i < all.length && out.length < limit; i++) {
      const j = i + Math.floor(this.random() * (all.length - i));
      [all[i], all[j]] = [all[j]!, all[i]!];
      const e = all[i]!.entry;
      if (!isTerrible(e, now)) out.push({ time: e.time, services: e.services, address: e.address });
    }
    return out;
  }

  /** Every entry (copies), tried ones first: what the persistence format stores. */
  entries(): AddrEntry[] {
    const ids = [...this.triedIds.values(), ...this.newIds.values()];
    return ids.map((id) => copyEntry(this.slots.get(id)!.entry));
  }

  /**
   * Re-inserts a stored entry (loading from disk). Slots are recomputed from the key; an entry
   * whose slot is taken is dropped (tried ones fall back to the new table first).
   */
  restore(stored: AddrEntry): boolean {
    if (this.idOf(stored.address) !== undefined) return false;
    const entry = copyEntry(stored);
    const id = this.nextId++;
    if (this.place(id, entry, () => false)) return true;
    if (!entry.tried) return false;
    entry.tried = false;
    return this.place(id, entry, () => false);
  }
}
