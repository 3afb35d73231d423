import { Worker } from 'node:worker_threads';
import type { MinutesModel, MinutesOutline } from '@kenes/shared';
import type { FileFormat, RenderJob, RenderOutcome, RenderSource } from './render-worker.js';

export interface RenderPoolOptions {
  /** Worker threads at most; each renders one file at a time. */
  size?: number;
  /** A worker with nothing to do for this long exits, so an idle server holds no fonts or threads. */
  idleMs?: number;
}

interface Pending {
  resolve(file: Buffer): void;
  reject(err: Error): void;
}

interface Slot {
  worker: Worker;
  /** The job it is rendering, or null when free. */
  job: number | null;
  idle: NodeJS.Timeout | null;
}

/**
 * Renders DOCX and PDF minutes and protocols in worker threads. A long protocol takes about a second of CPU;
 * on the event loop that second would stall every room's stage changes, votes and board edits.
 * Jobs queue when every worker is busy; a worker that crashes fails only its own job.
 */
export class RenderPool {
  private readonly size: number;
  private readonly idleMs: number;
  private readonly slots: Slot[] = [];
  private readonly queue: RenderJob[] = [];
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  constructor(opts: RenderPoolOptions = {}) {
    this.size = Math.max(1, opts.size ?? 1);
    this.idleMs = opts.idleMs ?? 60_000;
  }

  /** A session's minutes as a file. */
  render(format: FileFormat, model: MinutesModel): Promise<Buffer> {
    return this.enqueue(format, { kind: 'minutes', model });
  }

  /** Any protocol outline as a file (a council meeting's protocol); `author` goes into a PDF's metadata. */
  renderOutline(format: FileFormat, outline: MinutesOutline, author = ''): Promise<Buffer> {
    return this.enqueue(format, { kind: 'outline', outline, author });
  }

  private enqueue(format: FileFormat, source: RenderSource): Promise<Buffer> {
    if (this.closed) return Promise.reject(new Error('render pool closed'));
    const id = this.nextId++;
    const result = new Promise<Buffer>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.queue.push({ id, format, source });
    this.dispatch();
    return result;
  }

  /** Waits for the jobs already started, fails the queued ones, and stops the workers. */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) this.settle(job.id, new Error('render pool closed'));
    await Promise.all(
      this.slots.map(async (slot) => {
        if (slot.job !== null) await new Promise<void>((done) => slot.worker.once('message', () => done()).once('exit', () => done()));
        await slot.worker.terminate();
      }),
    );
  }

  private dispatch(): void {
    while (this.queue.length) {
      const slot = this.slots.find((s) => s.job === null) ?? (this.slots.length < this.size ? this.spawn() : null);
      if (!slot) return;
      const job = this.queue.shift()!;
      if (slot.idle) clearTimeout(slot.idle);
      slot.idle = null;
      slot.job = job.id;
      slot.worker.postMessage(job);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(new URL('./render-worker-boot.mjs', import.meta.url));
    const slot: Slot = { worker, job: null, idle: null };
    worker.on('message', (out: RenderOutcome) => {
      slot.job = null;
      this.settle(out.id, out.ok ? Buffer.from(out.file.buffer, out.file.byteOffset, out.file.byteLength) : new Error(out.message));
      if (!this.closed) this.dispatch();
      if (slot.job === null && !this.closed) slot.idle = setTimeout(() => this.retire(slot), this.idleMs).unref();
    });
    worker.on('error', (err) => {
      if (slot.job !== null) this.settle(slot.job, err);
      slot.job = null;
    });
    worker.on('exit', () => {
      if (slot.job !== null) this.settle(slot.job, new Error('render worker exited'));
      const at = this.slots.indexOf(slot);
      if (at >= 0) this.slots.splice(at, 1);
      if (slot.idle) clearTimeout(slot.idle);
      if (!this.closed) this.dispatch();
    });
    this.slots.push(slot);
    return slot;
  }

  private retire(slot: Slot): void {
    if (slot.job === null) void slot.worker.terminate();
  }

  private settle(id: number, outcome: Buffer | Error): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    if (outcome instanceof Error) p.reject(outcome);
    else p.resolve(outcome);
  }
}
