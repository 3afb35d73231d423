/**
 * The worker side of the render pool: turns a session's minutes, or any protocol outline, into
 * a DOCX or PDF file off the server's event loop. One job at a time; the file goes back as a
 * transferred buffer.
 */
import { parentPort } from 'node:worker_threads';
import type { MinutesModel, MinutesOutline } from '@kenes/shared';
import { renderMinutesDocx, renderOutlineDocx } from './docx.js';
import { renderMinutesPdf, renderOutlinePdf } from './pdf.js';

export type FileFormat = 'docx' | 'pdf';

/**
 * What to render: a session's minutes model (its outline is built in the worker), or an outline
 * built already, such as a council meeting's protocol, with the author for the file's metadata.
 */
export type RenderSource = { kind: 'minutes'; model: MinutesModel } | { kind: 'outline'; outline: MinutesOutline; author: string };

export interface RenderJob {
  id: number;
  format: FileFormat;
  source: RenderSource;
}
export type RenderOutcome = { id: number; ok: true; file: Uint8Array } | { id: number; ok: false; message: string };

/** One file from one source. */
export function renderFile(format: FileFormat, source: RenderSource): Promise<Buffer> {
  if (source.kind === 'minutes') return format === 'docx' ? renderMinutesDocx(source.model) : renderMinutesPdf(source.model);
  return format === 'docx' ? renderOutlineDocx(source.outline) : renderOutlinePdf(source.outline, source.author);
}

const port = parentPort;
if (port) {
  port.on('message', (job: RenderJob) => {
    renderFile(job.format, job.source).then(
      (buf) => {
        // A copy that owns its memory, so it can be handed over rather than cloned.
        const file = new Uint8Array(buf);
        port.postMessage({ id: job.id, ok: true, file } satisfies RenderOutcome, [file.buffer]);
      },
      (err: unknown) => port.postMessage({ id: job.id, ok: false, message: err instanceof Error ? err.message : String(err) } satisfies RenderOutcome),
    );
  });
}
