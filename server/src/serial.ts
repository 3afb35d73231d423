/**
 * Runs tasks one at a time, in the order they were queued. A task's failure is its
 * caller's: it never stops the tasks queued behind it.
 */
export class Serial {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => T | Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    this.tail = result.then(settled, settled);
    return result;
  }

  /** Resolves once everything queued so far has finished. */
  idle(): Promise<void> {
    return this.tail.then(settled);
  }
}

function settled(): void {}
