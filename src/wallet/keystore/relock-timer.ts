/**
 * Calls `onDue` once the clock reaches a deadline, for deadlines up to Core's 100,000,000 s.
 * setTimeout cannot wait that long: above 2^31 - 1 ms (~24.8 days) Node fires after 1 ms
 * instead, which would relock a "three-year" unlock at once. Long waits are therefore chained,
 * each step re-reading the clock.
 */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class RelockTimer {
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly onDue: () => void,
    private readonly now: () => number,
  ) {}

  /** (Re)schedules for `deadline` (ms since the epoch), replacing any earlier schedule. */
  arm(deadline: number): void {
    this.cancel();
    const delay = Math.min(Math.max(deadline - this.now(), 0), MAX_TIMER_MS);
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (this.now() >= deadline) this.onDue();
      else this.arm(deadline);
    }, delay);
    // A pending relock must not keep the process alive on its own.
    this.#timer.unref();
  }

  cancel(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
