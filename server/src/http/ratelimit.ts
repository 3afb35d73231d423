/**
 * Counts failed room-code look-ups per client address over a sliding minute,
 * so codes cannot be guessed, while a hall of teachers behind one school NAT
 * joining with the right code is never slowed down.
 */
export class MissLimiter {
  private readonly misses = new Map<string, number[]>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  blocked(address: string): boolean {
    return this.recent(address).length >= this.perMinute;
  }

  miss(address: string): void {
    const list = this.recent(address);
    list.push(this.now());
    this.misses.set(address, list);
    if (this.misses.size > 10_000) this.sweep();
  }

  private recent(address: string): number[] {
    const cutoff = this.now() - 60_000;
    const list = (this.misses.get(address) ?? []).filter((t) => t > cutoff);
    if (list.length === 0) this.misses.delete(address);
    return list;
  }

  private sweep(): void {
    for (const address of [...this.misses.keys()]) this.recent(address);
  }
}
