/**
 * Hosts we refuse for a while because a peer there sent data no honest node sends (Core's BanMan
 * "discouraged" set, which replaced ban scores in 0.21). Keyed by host, not host:port: a
 * misbehaving node reconnecting from another source port is the same node. Core forgets
 * discouragements as its rolling filter rolls over; here each one lasts a fixed period (default
 * 24 hours, Core's old -bantime), which is simpler to reason about and to report.
 */
export const DEFAULT_DISCOURAGE_SECONDS = 24 * 60 * 60;

export interface DiscouragedEntry {
  readonly host: string;
  /** Unix seconds when the discouragement ends. */
  readonly until: number;
}

/** Bound on entries, so a flood of misbehaving addresses cannot grow memory without limit. */
const MAX_ENTRIES = 50_000;

export class DiscouragedAddresses {
  private readonly until = new Map<string, number>();

  constructor(
    private readonly durationSeconds: number,
    /** Unix seconds. */
    private readonly now: () => number,
  ) {}

  discourage(host: string): void {
    this.until.delete(host);
    this.until.set(host, this.now() + this.durationSeconds);
    if (this.until.size > MAX_ENTRIES) {
      const oldest = this.until.keys().next().value;
      if (oldest !== undefined) this.until.delete(oldest);
    }
  }

  isDiscouraged(host: string): boolean {
    const until = this.until.get(host);
    if (until === undefined) return false;
    if (until > this.now()) return true;
    this.until.delete(host);
    return false;
  }

  /** Lifts a discouragement (bitcoind's setban remove / clearbanned). */
  remove(host: string): boolean {
    return this.until.delete(host);
  }

  list(): DiscouragedEntry[] {
    const now = this.now();
    const out: DiscouragedEntry[] = [];
    for (const [host, until] of this.until) if (until > now) out.push({ host, until });
    return out;
  }
}
