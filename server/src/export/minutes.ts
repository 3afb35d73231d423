import type { FastifyReply } from 'fastify';
import { renderMinutesHtml, renderMinutesMarkdown, translate, type MinutesModel } from '@kenes/shared';
import type { RenderPool } from './render-pool.js';

/** Every format the minutes route answers in; `md` when none is asked for. */
export const MINUTES_FORMATS = ['md', 'docx', 'pdf', 'html', 'csv', 'json'] as const;
export type MinutesFormat = (typeof MINUTES_FORMATS)[number];

/** The formats that render the protocol itself (csv and json export the data instead). */
export type DocumentFormat = Exclude<MinutesFormat, 'csv' | 'json'>;

export function isMinutesFormat(x: unknown): x is MinutesFormat {
  return typeof x === 'string' && (MINUTES_FORMATS as readonly string[]).includes(x);
}

/** The 400 body for a format the route does not know, naming the ones it does. */
export function unknownFormatError(format: unknown) {
  return {
    error: {
      code: 'bad_request' as const,
      message: translate('en', 'minutes.error.format', { format: String(format).slice(0, 40), formats: MINUTES_FORMATS.join(', ') }),
    },
  };
}

interface DocumentKind {
  type: string;
  /** `inline` for the page a browser shows and prints; `attachment` for files to save. */
  disposition: 'inline' | 'attachment';
  /** Text formats render in place; files go to the render pool's worker threads. */
  render: (m: MinutesModel, files: RenderPool) => string | Promise<Buffer>;
}

const DOCUMENTS: Record<DocumentFormat, DocumentKind> = {
  md: { type: 'text/markdown; charset=utf-8', disposition: 'attachment', render: renderMinutesMarkdown },
  html: { type: 'text/html; charset=utf-8', disposition: 'inline', render: renderMinutesHtml },
  docx: {
    type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    disposition: 'attachment',
    render: (m, files) => files.render('docx', m),
  },
  pdf: { type: 'application/pdf', disposition: 'attachment', render: (m, files) => files.render('pdf', m) },
};

/** Send the protocol, named `minutes-<CODE>.<format>`. */
export async function sendMinutesDocument(
  reply: FastifyReply,
  format: DocumentFormat,
  model: MinutesModel,
  files: RenderPool,
): Promise<FastifyReply> {
  const { type, disposition, render } = DOCUMENTS[format];
  const body = await render(model, files);
  return reply
    .type(type)
    .header('content-disposition', `${disposition}; filename="minutes-${model.code}.${format}"`)
    .send(body);
}
