import { z } from 'zod';
import type { ErrorBody } from '../protocol/errors.js';
import type { Locale } from '../model/types.js';

/**
 * The reflection diary: a teacher's private entries (observations, successes,
 * difficulties), kept on the server.
 *
 * Privacy: an entry is sent only to its author's own sockets. When the author
 * marks it `shared`, the session's facilitators may read it too — with the
 * author's name, since the teacher chose to show it to the methodologist — but
 * never other teachers and never the projector. Unsharing (or deleting) takes it
 * back from the facilitators at once. The Markdown download holds only the
 * caller's own entries.
 */
export const DIARY_KINDS = ['observation', 'success', 'difficulty'] as const;
export type DiaryKind = (typeof DIARY_KINDS)[number];

export const DIARY_LIMITS = { text: 5000, entries: 500 } as const;

export interface DiaryEntry {
  id: string;
  kind: DiaryKind;
  text: string;
  shared: boolean;
  createdAt: number;
  updatedAt: number;
}

/** An entry as facilitators see it: only shared ones, with the author. */
export interface SharedDiaryEntry extends DiaryEntry {
  participantId: string;
  name: string;
}

export const DIARY_EVENTS = {
  /** c→s (teachers) `DiaryAddRequest`, ack `DiaryEntryAck`. */
  add: 'diary.add',
  /** c→s (teachers) `DiaryUpdateRequest`, ack `DiaryEntryAck`. */
  update: 'diary.update',
  /** c→s (teachers) `DiaryDeleteRequest`, ack `DiaryDeleteAck`. */
  delete: 'diary.delete',
  /** c→s `{}`, ack `DiaryListAck`: a teacher's own entries; a facilitator's view of the shared ones. */
  list: 'diary.list',
  /** s→c (the author's tabs): `DiaryEntry` after a change from another tab. */
  mine: 'diary.mine',
  /** s→c (the author's tabs): `{ id }` after a delete from another tab. */
  mineRemoved: 'diary.mine.removed',
  /** s→c (facilitators): `SharedDiaryEntry`, an entry shared or changed while shared. */
  shared: 'diary.shared',
  /** s→c (facilitators): `{ id, participantId }`, an entry unshared or deleted. */
  unshared: 'diary.unshared',
} as const;

const rid = z.string().min(1).max(64);
const id = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const text = z.string().max(DIARY_LIMITS.text);

export const diaryAddSchema = z.object({
  rid,
  /** Optional client-chosen id (a retry after a lost ack finds the same entry). */
  id: id.optional(),
  kind: z.enum(DIARY_KINDS),
  text,
  shared: z.boolean().optional(),
});
export const diaryUpdateSchema = z.object({
  rid,
  id,
  kind: z.enum(DIARY_KINDS).optional(),
  text: text.optional(),
  shared: z.boolean().optional(),
});
export const diaryDeleteSchema = z.object({ rid, id });
export const diaryListSchema = z.object({}).passthrough();

export type DiaryAddRequest = z.infer<typeof diaryAddSchema>;
export type DiaryUpdateRequest = z.infer<typeof diaryUpdateSchema>;
export type DiaryDeleteRequest = z.infer<typeof diaryDeleteSchema>;

export type DiaryEntryAck = { ok: true; entry: DiaryEntry } | { ok: false; error: ErrorBody };
export type DiaryDeleteAck = { ok: true; id: string } | { ok: false; error: ErrorBody };
export type DiaryListAck =
  | { ok: true; role: 'participant'; entries: DiaryEntry[] }
  | { ok: true; role: 'facilitator'; entries: SharedDiaryEntry[] }
  | { ok: false; error: ErrorBody };

const HEAD: Record<Locale, { title: string; kinds: Record<DiaryKind, string>; shared: string; none: string }> = {
  ru: {
    title: 'Дневник рефлексии',
    kinds: { observation: 'Наблюдение', success: 'Успех', difficulty: 'Трудность' },
    shared: 'доступно методисту',
    none: 'Записей нет.',
  },
  kk: {
    title: 'Рефлексия күнделігі',
    kinds: { observation: 'Бақылау', success: 'Жетістік', difficulty: 'Қиындық' },
    shared: 'әдіскерге қолжетімді',
    none: 'Жазба жоқ.',
  },
  en: {
    title: 'Reflection diary',
    kinds: { observation: 'Observation', success: 'Success', difficulty: 'Difficulty' },
    shared: 'shared with the facilitator',
    none: 'No entries.',
  },
};

export const diaryKindLabel = (locale: Locale, kind: DiaryKind): string => HEAD[locale].kinds[kind];

/** A teacher's own entries as Markdown in the session's language, oldest first. */
export function renderDiaryMarkdown(opts: {
  locale: Locale;
  sessionTitle: string;
  name: string;
  entries: DiaryEntry[];
  timeZone?: string;
}): string {
  const h = HEAD[opts.locale];
  const fmt = new Intl.DateTimeFormat(opts.locale === 'kk' ? 'kk-KZ' : opts.locale, {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: opts.timeZone,
  });
  const lines = [`# ${h.title}`, '', `${opts.sessionTitle} — ${opts.name}`, ''];
  if (opts.entries.length === 0) lines.push(h.none, '');
  for (const e of [...opts.entries].sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id))) {
    lines.push(`## ${h.kinds[e.kind]} · ${fmt.format(e.createdAt)}${e.shared ? ` · ${h.shared}` : ''}`, '', e.text.trim(), '');
  }
  return lines.join('\n');
}
