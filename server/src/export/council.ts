import type { FastifyReply } from 'fastify';
import { renderOutlineHtml, renderOutlineMarkdown, type MinutesOutline } from '@kenes/shared';
import type { DocumentFormat } from './minutes.js';
import type { RenderPool } from './render-pool.js';

/** The formats a council meeting's protocol is given in; `md` when none is asked for. */
export const PROTOCOL_FORMATS = ['md', 'html', 'docx', 'pdf'] as const satisfies readonly DocumentFormat[];
export type ProtocolFormat = (typeof PROTOCOL_FORMATS)[number];

export function isProtocolFormat(x: unknown): x is ProtocolFormat {
  return typeof x === 'string' && (PROTOCOL_FORMATS as readonly string[]).includes(x);
}

interface ProtocolKind {
  type: string;
  /** `inline` for the page a browser shows and prints; `attachment` for files to save. */
  disposition: 'inline' | 'attachment';
  /** Text formats render in place; files go to the render pool's worker threads. */
  render: (outline: MinutesOutline, files: RenderPool) => string | Promise<Buffer>;
}

const KINDS: Record<ProtocolFormat, ProtocolKind> = {
  md: { type: 'text/markdown; charset=utf-8', disposition: 'attachment', render: renderOutlineMarkdown },
  html: { type: 'text/html; charset=utf-8', disposition: 'inline', render: renderOutlineHtml },
  docx: {
    type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    disposition: 'attachment',
    render: (o, files) => files.renderOutline('docx', o),
  },
  pdf: { type: 'application/pdf', disposition: 'attachment', render: (o, files) => files.renderOutline('pdf', o) },
};

/**
 * `filename` for old clients, ASCII only (a header cannot carry more), and `filename*` with the
 * name as given, so a protocol named in Cyrillic or Kazakh keeps its name where browsers read it.
 */
export function contentDisposition(disposition: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^A-Za-z0-9._-]+/g, '_');
  if (ascii === name) return `${disposition}; filename="${name}"`;
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

/** Send a council meeting's protocol (any outline) as `<fileBase>.<format>`. */
export async function sendProtocolDocument(
  reply: FastifyReply,
  format: ProtocolFormat,
  outline: MinutesOutline,
  fileBase: string,
  files: RenderPool,
): Promise<FastifyReply> {
  const { type, disposition, render } = KINDS[format];
  const body = await render(outline, files);
  return reply.type(type).header('content-disposition', contentDisposition(disposition, `${fileBase}.${format}`)).send(body);
}
