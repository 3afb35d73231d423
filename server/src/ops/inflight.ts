/**
 * Counts requests being handled (a command between arrival and its answer), so a shutdown
 * can let them finish before the store closes. Works for synchronous handlers and for
 * ones that return a promise.
 */
export class Inflight {
  private count = 0;
  private waiters: Array<() => void> = [];

  get size(): number {
    return this.count;
  }

  track<T>(run: () => T): T {
    this.count++;
    let result: T;
    try {
      result = run();
    } catch (err) {
      this.done();
      throw err;
    }
    if (result && typeof (result as { then?: unknown }).then === 'function') {
      (result as unknown as PromiseLike<unknown>).then(
        () => this.done(),
        () => this.done(),
      );
    } else this.done();
    return result;
  }

  /** Resolves true once nothing is in flight, or false after `timeoutMs`. */
  idle(timeoutMs: number): Promise<boolean> {
    if (this.count === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== wake);
        resolve(false);
      }, timeoutMs);
      const wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
      this.waiters.push(wake);
    });
  }

  private done(): void {
    this.count--;
    if (this.count > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
