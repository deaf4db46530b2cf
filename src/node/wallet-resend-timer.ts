import type { Logger } from 'pino';
import type { ResubmitReport } from '../wallet/tracking/resubmit.js';

/** Core's GetDefaultNextResend: 12 h + a uniform draw below 24 h, so 12-36 h (~1 day on average). */
export const DEFAULT_WALLET_RESEND_MIN_SECONDS = 12 * 60 * 60;
/** Core's StartWallets schedules MaybeResendWalletTxs every minute. */
const CHECK_EVERY_MS = 60_000;

export interface WalletResendTimerOptions {
  /**
   * The shortest delay before a wallet's next rebroadcast, in seconds; each delay is drawn
   * uniformly from [min, 3 × min) (Core: 12 h + rand(24 h)). Default 12 h (-walletrebroadcastdelay).
   */
  readonly minDelaySeconds?: number;
  readonly logger?: Logger;
}

export interface WalletResendTimerDeps {
  readonly wallets: {
    loaded(): readonly string[];
    rebroadcast(name: string): Promise<ResubmitReport | undefined>;
  };
  /**
   * Core's isReadyToBroadcast (not importing, not in initial block download): while catching up,
   * old wallet transactions look unconfirmed and re-announcing them would spam peers.
   */
  readonly isReadyToBroadcast: () => boolean;
  /** Milliseconds (default Date.now). */
  readonly nowMs?: () => number;
  /** Uniform in [0, 1) (default Math.random: the delay hides which transactions are ours, it guards no secret). */
  readonly random?: () => number;
  /** Runs `fn` every `ms` until the returned function is called (default: an unref'd setInterval). */
  readonly every?: (ms: number, fn: () => void) => () => void;
}

/**
 * Core's MaybeResendWalletTxs: checked every minute (or every min delay, if shorter), each loaded
 * wallet re-announces its unconfirmed transactions to peers once its own random 12-36 h delay has
 * passed, then draws the next one. A wallet's first delay starts when this timer first sees it
 * loaded (Core sets m_next_resend when it constructs the wallet), so a freshly started node never
 * announces at once what it just had at load, which would tell peers the transactions are ours.
 */
export class WalletResendTimer {
  readonly #minDelayMs: number;
  readonly #deps: WalletResendTimerDeps;
  readonly #log: Logger | undefined;
  readonly #nowMs: () => number;
  readonly #random: () => number;
  /** Per loaded wallet name: when (ms) it next rebroadcasts. */
  readonly #nextResend = new Map<string, number>();
  #cancel: (() => void) | undefined;
  #running: Promise<void> | undefined;

  constructor(options: WalletResendTimerOptions, deps: WalletResendTimerDeps) {
    this.#minDelayMs = (options.minDelaySeconds ?? DEFAULT_WALLET_RESEND_MIN_SECONDS) * 1000;
    this.#deps = deps;
    this.#log = options.logger;
    this.#nowMs = deps.nowMs ?? Date.now;
    this.#random = deps.random ?? Math.random;
  }

  /** Starts the periodic check (idempotent). */
  start(): void {
    if (this.#cancel !== undefined) return;
    const every = this.#deps.every ?? unrefInterval;
    this.#cancel = every(Math.min(CHECK_EVERY_MS, this.#minDelayMs), () => {
      // One check at a time: a rebroadcast waits on mempool acceptance.
      this.#running ??= this.check().finally(() => {
        this.#running = undefined;
      });
    });
  }

  /** Stops the timer and waits for a check in progress (node shutdown, before the peers stop). */
  async stop(): Promise<void> {
    this.#cancel?.();
    this.#cancel = undefined;
    await this.#running;
  }

  /** One MaybeResendWalletTxs pass; never throws (a failing wallet is logged and retried later). */
  async check(): Promise<void> {
    const now = this.#nowMs();
    const loaded = new Set(this.#deps.wallets.loaded());
    // Unloaded wallets forget their schedule: loading again starts a new delay, as in Core.
    for (const name of this.#nextResend.keys()) if (!loaded.has(name)) this.#nextResend.delete(name);
    for (const name of loaded)
      if (!this.#nextResend.has(name)) this.#nextResend.set(name, this.#nextAfter(now));
    if (!this.#deps.isReadyToBroadcast()) return;
    for (const [name, due] of this.#nextResend) {
      if (now < due) continue;
      this.#nextResend.set(name, this.#nextAfter(now));
      try {
        await this.#deps.wallets.rebroadcast(name);
      } catch (err) {
        this.#log?.warn({ module: 'wallet', wallet: name, err }, 'wallet rebroadcast failed');
      }
    }
  }

  /** When `name` next rebroadcasts (ms), once the timer has seen it loaded. */
  nextResendOf(name: string): number | undefined {
    return this.#nextResend.get(name);
  }

  #nextAfter(nowMs: number): number {
    return nowMs + this.#minDelayMs + Math.floor(this.#random() * 2 * this.#minDelayMs);
  }
}

function unrefInterval(ms: number, fn: () => void): () => void {
  const timer = setInterval(fn, ms);
  timer.unref();
  return () => clearInterval(timer);
}
