import type { BallotDef, BallotResults } from '../ballots/types.js';
import { translate } from '../i18n/index.js';
import { groupLabel } from '../i18n/labels.js';
import type { SessionState } from '../model/types.js';

/** One line per option of every counted vote: what a methodologist pastes into a spreadsheet. */
export interface CsvRow {
  ballot: string;
  kind: string;
  round: number;
  privacy: string;
  place: number | '';
  option: string;
  /** The kind's main figure: votes, dots, Borda points, mean grade, weighted score or majority grade. */
  value: number | string;
  share: number | '';
}

const COLUMNS = ['ballot', 'kind', 'round', 'privacy', 'place', 'option', 'value', 'share'] as const;

/** Quote a field as RFC 4180 asks: fields with a comma, quote or line break are quoted, quotes doubled. */
function field(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function round3(x: number | null): number | '' {
  return x === null ? '' : Math.round(x * 1000) / 1000;
}

function resultRows(def: BallotDef, r: BallotResults): Omit<CsvRow, 'ballot' | 'kind' | 'round' | 'privacy'>[] {
  const label = (id: string) => def.options.find((o) => o.id === id)?.label ?? id;
  switch (r.kind) {
    case 'single':
    case 'multiple':
      return r.options.map((o) => ({ place: o.rank, option: label(o.optionId), value: o.count, share: round3(o.share) }));
    case 'dots':
      return r.options.map((o) => ({ place: o.rank, option: label(o.optionId), value: o.dots, share: round3(o.share) }));
    case 'ranking':
      return r.options.map((o) => ({ place: o.rank, option: label(o.optionId), value: o.borda, share: '' }));
    case 'rating':
      return r.options.map((o) => ({ place: o.rank, option: label(o.optionId), value: round3(o.mean), share: '' }));
    case 'matrix':
      return r.options.map((o) => ({ place: o.rank, option: label(o.optionId), value: round3(o.score), share: '' }));
    case 'majority':
      return r.options.map((o) => ({ place: o.rank, option: label(o.optionId), value: o.grade ?? '', share: '' }));
    case 'text':
      // Open answers carry no name; their order says nothing about who wrote them.
      return r.answers.map((text) => ({ place: '', option: '', value: text, share: '' }));
  }
}

/**
 * Every revealed result of the session as CSV (UTF-8 with a BOM, so spreadsheet programs
 * read Cyrillic and Kazakh letters right). Only aggregates: no ballot is linked to a person.
 */
export function resultsCsv(state: SessionState): string {
  const t = (key: string) => translate(state.locale, key);
  const rows: CsvRow[] = [];
  const results = state.vote.results;
  if (results) {
    for (const r of results.ranking) {
      const option = state.vote.options.find((o) => o.id === r.optionId);
      rows.push({
        ballot: t('minutes.vote'),
        kind: 'dots',
        round: state.vote.round,
        privacy: 'anonymous',
        place: r.rank,
        option: `${option?.label ?? r.optionId} (${groupLabel(state, r.optionId, state.locale)})`,
        value: r.votes,
        share: round3(r.share),
      });
    }
  }
  for (const def of state.ballots ?? []) {
    if (!def.results) continue;
    for (const row of resultRows(def, def.results)) {
      rows.push({ ballot: def.title, kind: def.kind, round: def.round, privacy: def.privacy, ...row });
    }
  }
  const lines = [COLUMNS.join(','), ...rows.map((row) => COLUMNS.map((c) => field(row[c])).join(','))];
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}
