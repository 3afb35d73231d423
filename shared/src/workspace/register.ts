import { translate } from '../i18n/index.js';
import type { Locale } from '../model/types.js';
import { isoDay } from './dates.js';
import type { Council, DecisionExecution, DecisionStatus, Meeting, MeetingDecision, RegisterEntry, RegisterFilter } from './types.js';

/** Done when recorded so; overdue when not done and its deadline is before `today`; open otherwise. */
export function decisionStatus(decision: Pick<MeetingDecision, 'dueDate'>, execution: DecisionExecution | undefined, today: string): DecisionStatus {
  if (execution?.done) return 'done';
  return decision.dueDate !== null && decision.dueDate < today ? 'overdue' : 'open';
}

/**
 * Every decision of the workspace's meetings with its execution, oldest meeting first
 * (then agenda and decision order), as the register lists them.
 */
export function registerEntries(
  meetings: readonly Meeting[],
  councils: readonly Council[],
  executions: readonly DecisionExecution[],
  today: string,
): RegisterEntry[] {
  const councilName = new Map(councils.map((c) => [c.id, c.name]));
  const done = new Map(executions.map((e) => [e.decisionId, e]));
  const ordered = [...meetings].sort((a, b) => a.date.localeCompare(b.date) || a.year - b.year || a.number - b.number);
  return ordered.flatMap((m) =>
    m.items.flatMap((it) =>
      it.decisions.map((d): RegisterEntry => {
        const e = done.get(d.id);
        return {
          decision: d,
          meetingId: m.id,
          councilId: m.councilId,
          councilName: councilName.get(m.councilId) ?? '',
          meetingNumber: m.number,
          meetingYear: m.year,
          meetingDate: m.date,
          itemId: it.id,
          itemTitle: it.title,
          status: decisionStatus(d, e, today),
          doneAt: e?.done ? e.doneAt : null,
          note: e?.note ?? '',
        };
      }),
    ),
  );
}

/** Decisions not yet done from meetings other than `exceptMeetingId`: what a review item lists. */
export function openDecisionIds(entries: readonly RegisterEntry[], exceptMeetingId?: string): string[] {
  return entries.filter((e) => e.status !== 'done' && e.meetingId !== exceptMeetingId).map((e) => e.decision.id);
}

const fold = (s: string) => s.toLocaleLowerCase('ru');

export function filterRegister(entries: readonly RegisterEntry[], f: RegisterFilter): RegisterEntry[] {
  const words = f.q ? fold(f.q).split(/\s+/).filter(Boolean) : [];
  return entries.filter((e) => {
    if (f.status && e.status !== f.status) return false;
    if (f.councilId && e.councilId !== f.councilId) return false;
    if (f.responsibleId && e.decision.responsibleId !== f.responsibleId) return false;
    const due = e.decision.dueDate;
    if (f.dueFrom && (due === null || due < f.dueFrom)) return false;
    if (f.dueTo && (due === null || due > f.dueTo)) return false;
    if (words.length) {
      const hay = fold(`${e.decision.text} ${e.decision.responsibleName} ${e.itemTitle}`);
      if (!words.every((w) => hay.includes(w))) return false;
    }
    return true;
  });
}

/**
 * RFC 4180 quoting, and a cell that a spreadsheet would read as a formula (= + - @ first)
 * is prefixed with an apostrophe, so a decision's text can never run as one.
 */
export function csvCell(v: string | number): string {
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const COLUMNS = ['protocol', 'council', 'date', 'item', 'decision', 'responsible', 'due', 'status', 'doneAt', 'note', 'vote'] as const;

/** The register as CSV with headers in `locale`, one row per decision; a BOM so spreadsheets read the Cyrillic right. */
export function registerCsv(entries: readonly RegisterEntry[], locale: Locale, timeZone?: string): string {
  const t = (key: string) => translate(locale, key);
  const head = COLUMNS.map((c) => csvCell(t(`register.column.${c}`)));
  const rows = entries.map((e) => {
    const v = e.decision.vote;
    return [
      `${e.meetingNumber}/${e.meetingYear}`,
      e.councilName,
      e.meetingDate,
      e.itemTitle || t('register.reviewItem'),
      e.decision.text,
      e.decision.responsibleName,
      e.decision.dueDate ?? '',
      t(`register.status.${e.status}`),
      e.doneAt === null ? '' : isoDay(e.doneAt, timeZone),
      e.note,
      v ? `${v.for}/${v.against}/${v.abstained}` : '',
    ].map(csvCell);
  });
  return `\uFEFF${[head, ...rows].map((r) => r.join(',')).join('\r\n')}\r\n`;
}
