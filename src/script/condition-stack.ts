/**
 * The IF/ELSE/ENDIF execution state as Core's ConditionStack: since only "are all entries true?" is
 * ever asked, it stores the depth and the position of the first false entry instead of a vector of
 * booleans. Every operation is O(1), which closes the quadratic blowup of deeply nested IFs
 * (Core PR #16902).
 */
const NO_FALSE = -1;

export class ConditionStack {
  private size = 0;
  private firstFalse = NO_FALSE;

  get empty(): boolean {
    return this.size === 0;
  }

  get allTrue(): boolean {
    return this.firstFalse === NO_FALSE;
  }

  push(value: boolean): void {
    if (this.firstFalse === NO_FALSE && !value) this.firstFalse = this.size;
    this.size++;
  }

  /** Callers check `empty` first (an unbalanced ENDIF is a script error, not a crash). */
  pop(): void {
    this.size--;
    if (this.firstFalse === this.size) this.firstFalse = NO_FALSE;
  }

  toggleTop(): void {
    if (this.firstFalse === NO_FALSE) this.firstFalse = this.size - 1;
    else if (this.firstFalse === this.size - 1) this.firstFalse = NO_FALSE;
    // Otherwise an outer branch is false, and the top entry's value cannot matter.
  }
}
