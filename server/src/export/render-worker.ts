/**
 * The worker side of the render pool: turns a minutes model into a DOCX or PDF file off the
 * server's event loop. One job at a time; the file goes back as a transferred buffer.
 */
import { parentPort } from 'node:worker_threads';
import type { MinutesModel } from '@kenes/shared';
import { renderMinutesDocx } from './docx.js';
import { renderMinutesPdf } from './pdf.js';

export type FileFormat = 'docx' | 'pdf';
export interface RenderJob {
  id: number;
  format: FileFormat;
  model: MinutesModel;
}
export type RenderOutcome = { id: number; ok: true; file: Uint8Array } | { id: number; ok: false; message: string };

const RENDERERS: Record<FileFormat, (m: MinutesModel) => Promise<Buffer>> = { docx: renderMinutesDocx, pdf: renderMinutesPdf };

const port = parentPort;
if (port) {
  port.on('message', (job: RenderJob) => {
    RENDERERS[job.format](job.model).then(
      (buf) => {
        // A copy that owns its memory, so it can be handed over rather than cloned.
        const file = new Uint8Array(buf);
        port.postMessage({ id: job.id, ok: true, file } satisfies RenderOutcome, [file.buffer]);
      },
      (err: unknown) => port.postMessage({ id: job.id, ok: false, message: err instanceof Error ? err.message : String(err) } satisfies RenderOutcome),
    );
  });
}
