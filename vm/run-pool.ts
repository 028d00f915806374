/**
 * @fileoverview A stack of idle run states (per Memory, in both engines). Not an array used with
 * pop/push: V8 shrinks an array's backing store when pop empties it and grows it again on the
 * next push, an allocation per run of a repeated test run.
 */
export class RunPool<T> {
  private readonly items: T[] = [];
  private n = 0;
  /** An idle state, or undefined when there is none. */
  take(): T | undefined {
    return this.n > 0 ? this.items[--this.n] : undefined;
  }
  /** `x` is idle again. */
  give(x: T): void {
    // (take leaves the slot as it was, so giving back the state just taken stores nothing: such
    // a state, never promoted in a loop that allocates nothing, would take the write barrier's
    // slow path at every store)
    if (this.items[this.n] !== x) this.items[this.n] = x;
    this.n++;
  }
}
