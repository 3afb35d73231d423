/** A dependency the server needs to serve: resolves when it answers, throws or rejects when not. */
export type ReadinessCheck = () => unknown;

export interface ReadinessReport {
  ok: boolean;
  /** What failed: a check's name, or `shutting_down`. */
  failed: string[];
}

/** How long one check may take before it counts as failed. */
const CHECK_TIMEOUT_MS = 2000;

/**
 * Whether this process should get traffic: every registered dependency answers
 * (the store now; Redis or PostgreSQL when they are configured) and it is not shutting down.
 */
export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();
  private draining = false;

  add(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  /** From now on the process reports not ready, so a balancer stops sending it clients. */
  drain(): void {
    this.draining = true;
  }

  get shuttingDown(): boolean {
    return this.draining;
  }

  async report(): Promise<ReadinessReport> {
    if (this.draining) return { ok: false, failed: ['shutting_down'] };
    const results = await Promise.all(
      [...this.checks].map(async ([name, check]) => ((await answers(check)) ? null : name)),
    );
    const failed = results.filter((name): name is string => name !== null);
    return { ok: failed.length === 0, failed };
  }
}

async function answers(check: ReadinessCheck): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), CHECK_TIMEOUT_MS)));
  try {
    return await Promise.race([Promise.resolve().then(check).then(() => true as const), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
