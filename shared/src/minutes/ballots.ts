import type {
  Agreement,
  BallotCriterion,
  BallotDef,
  BallotKind,
  BallotOption,
  BallotPrivacy,
  BallotResults,
  BallotScale,
  Spread,
} from '../ballots/types.js';
import type { Params } from '../i18n/index.js';
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

type Block = string[];
type T = (key: string, params?: Params) => string;

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

const row = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;

/** The "Ballots" section; none when the session ran no ballot. */
export function renderBallots(ballots: MinutesBallot[], tag: string, t: T, md: (s: string) => string): Block[] {
  if (ballots.length === 0) return [];
  const num = numberWriter(tag);
  return [[`## ${t('minutes.ballots')}`], ...ballots.flatMap((b) => ballotBlocks(b, num, t, md))];
}

function ballotBlocks(b: MinutesBallot, num: NumberWriter, t: T, md: (s: string) => string): Block[] {
  const meta = t('minutes.ballots.meta', {
    kind: t(`minutes.ballots.kind.${b.kind}`),
    privacy: t(`minutes.ballots.privacy.${b.privacy}`),
    round: b.round,
  });
  const head: Block[] = [[`### ${md(b.title)}`], [meta]];
  const r = b.results;
  if (!r) return [...head, [t('minutes.ballots.notRevealed')]];

  const labelOf = new Map(b.options.map((o) => [o.id, o.label]));
  const opt = (id: string) => md(labelOf.get(id) ?? id);
  const f2 = (x: number | null) => num.fixed(x, 2);
  const voters: Block = [t('minutes.ballots.voters', { voters: r.voters })];
  const tieLine = (ids: string[]): Block[] =>
    r.tie ? [[t('minutes.ballots.tie', { options: ids.map(opt).join(', ') })]] : [];
  const firsts = (rows: { optionId: string; rank: number }[]) => rows.filter((x) => x.rank === 1).map((x) => x.optionId);

  switch (r.kind) {
    case 'single':
    case 'multiple': {
      const table = [
        row([t('minutes.ballots.place'), t('minutes.ballots.option'), t('minutes.ballots.votes'), t('minutes.ballots.share')]),
        '|---:|---|---:|---:|',
        ...r.options.map((o) => row([o.rank, opt(o.optionId), o.count, num.percent(o.share)])),
      ];
      return [...head, voters, table, ...tieLine(firsts(r.options))];
    }
    case 'dots': {
      const table = [
        row([t('minutes.ballots.place'), t('minutes.ballots.option'), t('minutes.ballots.dots'), t('minutes.ballots.share')]),
        '|---:|---|---:|---:|',
        ...r.options.map((o) => row([o.rank, opt(o.optionId), o.dots, num.percent(o.share)])),
      ];
      return [...head, [t('minutes.ballots.dotsCast', { voters: r.voters, dots: r.dots })], table, ...tieLine(firsts(r.options))];
    }
    case 'ranking': {
      const table = [
        row([
          t('minutes.ballots.place'),
          t('minutes.ballots.option'),
          t('minutes.ballots.borda'),
          t('minutes.ballots.rankSum'),
          t('minutes.ballots.meanRank'),
        ]),
        '|---:|---|---:|---:|---:|',
        ...r.options.map((o) => row([o.rank, opt(o.optionId), o.borda, o.rankSum, f2(o.meanRank)])),
      ];
      return [...head, voters, table, ...tieLine(firsts(r.options)), ...agreementBlocks(r.agreement, num, t)];
    }
    case 'rating': {
      const table = [
        row([t('minutes.ballots.place'), t('minutes.ballots.option'), ...spreadHeads(t)]),
        '|---:|---|---:|---:|---:|---:|---:|---:|---:|---|',
        ...r.options.map((o) => row([o.rank, opt(o.optionId), ...spreadCells(o, num, t)])),
      ];
      const comments = Object.entries(r.comments ?? {}).filter(([, list]) => list.length > 0);
      const commentBlocks = comments.flatMap(([id, list]) => [[`**${opt(id)}:**`], list.map((c) => `- ${md(c)}`)]);
      return [...head, voters, table, ...tieLine(firsts(r.options)), ...agreementBlocks(r.agreement, num, t), ...commentBlocks];
    }
    case 'matrix': {
      const critLabel = new Map(b.criteria.map((c) => [c.id, c.label]));
      const criteria = [
        row([t('minutes.ballots.criterion'), t('minutes.ballots.weight'), t('minutes.ballots.mean')]),
        '|---|---:|---:|',
        ...r.criteria.map((c) =>
          row([md(critLabel.get(c.criterionId) ?? c.criterionId), num.plain(c.weight), f2(c.mean)]),
        ),
      ];
      const objects = [
        row([t('minutes.ballots.place'), t('minutes.ballots.object'), t('minutes.ballots.score'), 'n', ...spreadHeads(t).slice(2)]),
        '|---:|---|---:|---:|---:|---:|---:|---:|---:|---|',
        ...r.options.map((o) => {
          const cells = spreadCells(o.spread, num, t);
          return row([o.rank, opt(o.optionId), f2(o.score), cells[0]!, ...cells.slice(2)]);
        }),
      ];
      const competence = r.competence ? [[t('minutes.ballots.competence', { mean: f2(r.competence.mean) })]] : [];
      return [...head, voters, criteria, objects, ...competence, ...tieLine(firsts(r.options)), ...agreementBlocks(r.agreement, num, t)];
    }
    case 'majority': {
      const scale = b.scale;
      const gradeLabel = (g: number | null) => {
        if (g === null) return '—';
        const word = scale?.labels?.[g - scale.min];
        return word ? `${md(word)} (${g})` : String(g);
      };
      const table = [
        row([t('minutes.ballots.place'), t('minutes.ballots.option'), t('minutes.ballots.grade'), t('minutes.ballots.mean')]),
        '|---:|---|---|---:|',
        ...r.options.map((o) => row([o.rank, opt(o.optionId), gradeLabel(o.grade), f2(o.mean)])),
      ];
      const kappa: Block[] = r.kappa === null ? [] : [[t('minutes.ballots.kappa', { kappa: num.fixed(r.kappa, 3) })]];
      return [...head, voters, table, ...tieLine(firsts(r.options)), ...kappa];
    }
    case 'text': {
      const answers = r.answers.map((a) => md(a)).filter((a) => a !== '');
      if (answers.length === 0) return [...head, voters, [t('minutes.ballots.noAnswers')]];
      return [...head, voters, [t('minutes.ballots.answers')], answers.map((a) => `- ${a}`)];
    }
  }
}

function spreadHeads(t: T): string[] {
  return [
    'n',
    t('minutes.ballots.mean'),
    t('minutes.ballots.median'),
    'Q1–Q3',
    'IQR',
    t('minutes.ballots.sd'),
    'V, %',
    t('minutes.ballots.consistency'),
  ];
}

function spreadCells(s: Spread, num: NumberWriter, t: T): (string | number)[] {
  const f2 = (x: number | null) => num.fixed(x, 2);
  const quart = s.q1 === null || s.q3 === null ? '—' : `${f2(s.q1)}–${f2(s.q3)}`;
  return [
    s.n,
    f2(s.mean),
    f2(s.median),
    quart,
    f2(s.iqr),
    f2(s.sd),
    num.fixed(s.V, 1),
    s.consistency ? t(`stats.consistency.${s.consistency}`) : '—',
  ];
}

/** Kendall's W with χ², df, p and its band, and how many experts stand furthest from the consensus — never who. */
function agreementBlocks(a: Agreement | null, num: NumberWriter, t: T): Block[] {
  if (!a) return [];
  const line =
    a.W === null || a.band === null
      ? t('minutes.ballots.W.undefined')
      : t('minutes.ballots.W', {
          W: num.fixed(a.W, 3),
          chi: num.fixed(a.chiSquare, 2),
          df: a.df,
          p: num.fixed(a.p, 3),
          band: t(`stats.agreement.${a.band}`),
        });
  return [[`**${t('stats.W')}:** ${line}`], [t('minutes.ballots.W.experts', { experts: a.experts, flagged: a.flagged })]];
}
