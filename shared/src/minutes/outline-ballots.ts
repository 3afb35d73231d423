import type { Agreement, Spread } from '../ballots/types.js';
import type { MinutesBallot, NumberWriter } from './ballots.js';
import type { OutlineBar, OutlineBlock, OutlineColumn, T, TS } from './outline.js';
import { joined, own, strong, user, type Inline } from './spans.js';

const right = (label: string): OutlineColumn => ({ label, align: 'right' });
const left = (label: string): OutlineColumn => ({ label, align: 'left' });
const paragraph = (text: string | Inline): OutlineBlock => ({ kind: 'paragraph', text: typeof text === 'string' ? [own(text)] : text });
const cell = (x: string | number): Inline => [own(x)];

/** One ballot: what was asked and how, then its tally with the statistics of its kind — never who answered what. */
export function ballotBlocks(b: MinutesBallot, num: NumberWriter, t: T, ts: TS): OutlineBlock[] {
  const meta = t('minutes.ballots.meta', {
    kind: t(`minutes.ballots.kind.${b.kind}`),
    privacy: t(`minutes.ballots.privacy.${b.privacy}`),
    round: b.round,
  });
  const head: OutlineBlock[] = [{ kind: 'heading', level: 3, text: [user(b.title)] }, paragraph(meta)];
  const r = b.results;
  if (!r) return [...head, paragraph(t('minutes.ballots.notRevealed'))];

  const labelOf = new Map(b.options.map((o) => [o.id, o.label]));
  const opt = (id: string): Inline => [user(labelOf.get(id) ?? id)];
  const f2 = (x: number | null) => num.fixed(x, 2);
  const voters = paragraph(t('minutes.ballots.voters', { voters: r.voters }));
  const tieLine = (ids: string[]): OutlineBlock[] =>
    r.tie ? [paragraph(ts('minutes.ballots.tie', { options: joined(ids.map(opt), ', ') }))] : [];
  const firsts = (rows: { optionId: string; rank: number }[]) => rows.filter((x) => x.rank === 1).map((x) => x.optionId);
  const bars = (rows: { id: string; value: number; display: string }[], max?: number): OutlineBlock => ({
    kind: 'bars',
    caption: b.title,
    max: max ?? Math.max(0, ...rows.map((x) => x.value)),
    bars: rows.map((x): OutlineBar => ({ label: opt(x.id), value: x.value, display: x.display })),
  });
  const scaleMax = b.scale?.max;

  switch (r.kind) {
    case 'single':
    case 'multiple': {
      const table: OutlineBlock = {
        kind: 'table',
        columns: [right(t('minutes.ballots.place')), left(t('minutes.ballots.option')), right(t('minutes.ballots.votes')), right(t('minutes.ballots.share'))],
        rows: r.options.map((o) => [cell(o.rank), opt(o.optionId), cell(o.count), cell(num.percent(o.share))]),
      };
      const chart = bars(r.options.map((o) => ({ id: o.optionId, value: o.count, display: `${o.count} (${num.percent(o.share)})` })));
      return [...head, voters, table, chart, ...tieLine(firsts(r.options))];
    }
    case 'dots': {
      const table: OutlineBlock = {
        kind: 'table',
        columns: [right(t('minutes.ballots.place')), left(t('minutes.ballots.option')), right(t('minutes.ballots.dots')), right(t('minutes.ballots.share'))],
        rows: r.options.map((o) => [cell(o.rank), opt(o.optionId), cell(o.dots), cell(num.percent(o.share))]),
      };
      const chart = bars(r.options.map((o) => ({ id: o.optionId, value: o.dots, display: `${o.dots} (${num.percent(o.share)})` })));
      return [...head, paragraph(t('minutes.ballots.dotsCast', { voters: r.voters, dots: r.dots })), table, chart, ...tieLine(firsts(r.options))];
    }
    case 'ranking': {
      const table: OutlineBlock = {
        kind: 'table',
        columns: [
          right(t('minutes.ballots.place')),
          left(t('minutes.ballots.option')),
          right(t('minutes.ballots.borda')),
          right(t('minutes.ballots.rankSum')),
          right(t('minutes.ballots.meanRank')),
        ],
        rows: r.options.map((o) => [cell(o.rank), opt(o.optionId), cell(o.borda), cell(o.rankSum), cell(f2(o.meanRank))]),
      };
      const chart = bars(r.options.map((o) => ({ id: o.optionId, value: o.borda, display: String(o.borda) })));
      return [...head, voters, table, chart, ...tieLine(firsts(r.options)), ...agreementBlocks(r.agreement, num, t)];
    }
    case 'rating': {
      const table: OutlineBlock = {
        kind: 'table',
        columns: [right(t('minutes.ballots.place')), left(t('minutes.ballots.option')), ...spreadColumns(t)],
        rows: r.options.map((o) => [cell(o.rank), opt(o.optionId), ...spreadCells(o, num, t).map(cell)]),
      };
      const chart = bars(r.options.map((o) => ({ id: o.optionId, value: o.mean ?? 0, display: f2(o.mean) })), scaleMax);
      const comments = Object.entries(r.comments ?? {}).filter(([, list]) => list.length > 0);
      const commentBlocks = comments.flatMap(([id, list]): OutlineBlock[] => [
        paragraph(strong([...opt(id), own(':')])),
        { kind: 'list', items: list.map((c) => ({ text: [user(c)] })) },
      ]);
      return [...head, voters, table, chart, ...tieLine(firsts(r.options)), ...agreementBlocks(r.agreement, num, t), ...commentBlocks];
    }
    case 'matrix': {
      const critLabel = new Map(b.criteria.map((c) => [c.id, c.label]));
      const criteria: OutlineBlock = {
        kind: 'table',
        columns: [left(t('minutes.ballots.criterion')), right(t('minutes.ballots.weight')), right(t('minutes.ballots.mean'))],
        rows: r.criteria.map((c) => [[user(critLabel.get(c.criterionId) ?? c.criterionId)], cell(num.plain(c.weight)), cell(f2(c.mean))]),
      };
      const spread = spreadColumns(t);
      const objects: OutlineBlock = {
        kind: 'table',
        columns: [right(t('minutes.ballots.place')), left(t('minutes.ballots.object')), right(t('minutes.ballots.score')), spread[0]!, ...spread.slice(2)],
        rows: r.options.map((o) => {
          const cells = spreadCells(o.spread, num, t);
          return [cell(o.rank), opt(o.optionId), cell(f2(o.score)), cell(cells[0]!), ...cells.slice(2).map(cell)];
        }),
      };
      const chart = bars(r.options.map((o) => ({ id: o.optionId, value: o.score ?? 0, display: f2(o.score) })), scaleMax);
      const competence = r.competence ? [paragraph(t('minutes.ballots.competence', { mean: f2(r.competence.mean) }))] : [];
      return [...head, voters, criteria, objects, chart, ...competence, ...tieLine(firsts(r.options)), ...agreementBlocks(r.agreement, num, t)];
    }
    case 'majority': {
      const scale = b.scale;
      const gradeLabel = (g: number | null): Inline => {
        if (g === null) return [own('—')];
        const word = scale?.labels?.[g - scale.min];
        return word ? [user(word), own(` (${g})`)] : [own(g)];
      };
      const table: OutlineBlock = {
        kind: 'table',
        columns: [right(t('minutes.ballots.place')), left(t('minutes.ballots.option')), left(t('minutes.ballots.grade')), right(t('minutes.ballots.mean'))],
        rows: r.options.map((o) => [cell(o.rank), opt(o.optionId), gradeLabel(o.grade), cell(f2(o.mean))]),
      };
      const chart = bars(r.options.map((o) => ({ id: o.optionId, value: o.mean ?? 0, display: f2(o.mean) })), scaleMax);
      const kappa = r.kappa === null ? [] : [paragraph(t('minutes.ballots.kappa', { kappa: num.fixed(r.kappa, 3) }))];
      return [...head, voters, table, chart, ...tieLine(firsts(r.options)), ...kappa];
    }
    case 'text': {
      const answers = r.answers.map(user).filter((a) => a.text !== '');
      if (answers.length === 0) return [...head, voters, paragraph(t('minutes.ballots.noAnswers'))];
      return [...head, voters, paragraph(t('minutes.ballots.answers')), { kind: 'list', items: answers.map((a) => ({ text: [a] })) }];
    }
  }
}

/** n, mean, median, quartiles, IQR, σ, V and its reading; numbers right-aligned, the reading left. */
function spreadColumns(t: T): OutlineColumn[] {
  return [
    right('n'),
    right(t('minutes.ballots.mean')),
    right(t('minutes.ballots.median')),
    right('Q1–Q3'),
    right('IQR'),
    right(t('minutes.ballots.sd')),
    right('V, %'),
    left(t('minutes.ballots.consistency')),
  ];
}

function spreadCells(s: Spread, num: NumberWriter, t: T): string[] {
  const f2 = (x: number | null) => num.fixed(x, 2);
  const quart = s.q1 === null || s.q3 === null ? '—' : `${f2(s.q1)}–${f2(s.q3)}`;
  return [
    String(s.n),
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
export function agreementBlocks(a: Agreement | null, num: NumberWriter, t: T): OutlineBlock[] {
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
  return [
    paragraph([...strong([own(`${t('stats.W')}:`)]), own(` ${line}`)]),
    paragraph(t('minutes.ballots.W.experts', { experts: a.experts, flagged: a.flagged })),
  ];
}
