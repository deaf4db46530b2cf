import { getRandomValues } from 'node:crypto';

/**
 * BIP31 ping bookkeeping for one peer: at most one ping outstanding, latency measured from the
 * matching pong, and the decisions "time to ping" and "pong overdue". Clock values are passed in
 * (milliseconds from any monotonic clock), so the logic is tested without timers.
 */
export class PingTracker {
  /** Latest and best round trip, in milliseconds. */
  lastMs: number | undefined;
  minMs: number | undefined;
  private nonce: bigint | undefined;
  private sentAt = 0;
  private lastStart = Number.NEGATIVE_INFINITY;

  get outstanding(): boolean {
    return this.nonce !== undefined;
  }

  /** Starts a ping and returns its nonce, or undefined while one is outstanding. */
  start(now: number, nonce: bigint = getRandomValues(new BigUint64Array(1))[0]!): bigint | undefined {
    if (this.nonce !== undefined) return undefined;
    // A zero nonce in a pong means "cancel" (Core), so never send one.
    this.nonce = nonce === 0n ? 1n : nonce;
    this.sentAt = now;
    this.lastStart = now;
    return this.nonce;
  }

  /**
   * Handles a pong: returns the latency when it answers our ping. A zero nonce cancels the ping;
   * any other nonce is a stale or overlapping pong and is ignored (Core's "Nonce mismatch").
   */
  onPong(nonce: bigint, now: number): number | undefined {
    if (this.nonce === undefined) return undefined;
    if (nonce === 0n) {
      this.nonce = undefined;
      return undefined;
    }
    if (nonce !== this.nonce) return undefined;
    const latency = now - this.sentAt;
    this.nonce = undefined;
    this.lastMs = latency;
    this.minMs = Math.min(this.minMs ?? latency, latency);
    return latency;
  }

  /** No ping outstanding and the interval has passed since the last one started. */
  due(now: number, intervalMs: number): boolean {
    return this.nonce === undefined && now - this.lastStart >= intervalMs;
  }

  /** The outstanding ping has waited longer than the timeout. */
  timedOut(now: number, timeoutMs: number): boolean {
    return this.nonce !== undefined && now - this.sentAt > timeoutMs;
  }
}
