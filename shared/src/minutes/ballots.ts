import type {
  BallotCriterion,
  BallotDef,
  BallotKind,
  BallotOption,
  BallotPrivacy,
  BallotResults,
  BallotScale,
} from '../ballots/types.js';
import type { SessionState } from '../model/types.js';

/**
 * One ballot as the minutes record it: what was asked, how, and its tally. Only
 * what the results already hold — never who answered what, for any privacy.
 */
export interface MinutesBallot {
  id: string;
  kind: BallotKind;
  title: string;
  privacy: BallotPrivacy;
  round: number;
  options: BallotOption[];
  criteria: BallotCriterion[];
  scale: BallotScale | null;
  /** Null when the results were never revealed (an open ballot, or a closed hidden one). */
  results: BallotResults | null;
}

/** Every ballot past its draft, in the session's order; a ballot still open counts as not revealed. */
export function ballotsSection(state: SessionState): MinutesBallot[] {
  const ballots: BallotDef[] = state.ballots ?? [];
  return ballots
    .filter((b) => b.status !== 'draft')
    .map((b) => ({
      id: b.id,
      kind: b.kind,
      title: b.title,
      privacy: b.privacy,
      round: b.round,
      options: b.options,
      criteria: b.criteria ?? [],
      scale: b.scale ?? null,
      results: b.status === 'revealed' || b.status === 'closed' ? b.results : null,
    }));
}

/** Numbers written out in the session's language: fixed decimals, the locale's separators. */
export interface NumberWriter {
  fixed: (x: number | null, digits: number) => string;
  percent: (share: number) => string;
  /** Up to 3 decimals, none when whole. */
  plain: (x: number) => string;
}

export function numberWriter(tag: string): NumberWriter {
  const cache = new Map<number, Intl.NumberFormat>();
  const nf = (d: number) => {
    let f = cache.get(d);
    if (!f) cache.set(d, (f = new Intl.NumberFormat(tag, { minimumFractionDigits: d, maximumFractionDigits: d })));
    return f;
  };
  const pct = new Intl.NumberFormat(tag, { style: 'percent', maximumFractionDigits: 0 });
  const plain = new Intl.NumberFormat(tag, { maximumFractionDigits: 3 });
  return {
    plain: (x) => plain.format(x),
    fixed: (x, d) => (x === null || !Number.isFinite(x) ? '—' : nf(d).format(x)),
    percent: (share) => pct.format(share),
  };
}
