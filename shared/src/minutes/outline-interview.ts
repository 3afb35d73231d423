import type { MinutesInterview, MinutesQuote } from './interview.js';
import type { OutlineBlock, OutlineColumn, T, TS } from './outline.js';
import { own, strong, user, type Inline } from './spans.js';

const paragraph = (text: string | Inline): OutlineBlock => ({ kind: 'paragraph', text: typeof text === 'string' ? [own(text)] : text });
const heading = (level: 2 | 3 | 4, text: string | Inline): OutlineBlock => ({ kind: 'heading', level, text: typeof text === 'string' ? [own(text)] : text });
const right = (label: string): OutlineColumn => ({ label, align: 'right' });

/**
 * The structured expert interview: how it was held, the guide, the summary table of
 * questions × themes (how many experts' answers carry each theme), the quotes behind
 * it per theme, and the questions left unanswered by whom.
 */
export function interviewBlocks(m: MinutesInterview | null | undefined, t: T, ts: TS): OutlineBlock[] {
  if (!m) return [];
  const facts = [
    t('minutes.interview.experts', { experts: m.experts }),
    ...(m.byInterviewer > 0 ? [t('minutes.interview.byInterviewer', { count: m.byInterviewer })] : []),
    t(m.named ? 'minutes.interview.named' : 'minutes.interview.anonymous'),
  ].join(' ');
  const guide: OutlineBlock = {
    kind: 'list',
    ordered: true,
    items: m.questions.map((q) => ({ text: [user(q.text)], ...(q.followUps.length > 0 ? { children: q.followUps.map((f) => [user(f)]) } : {}) })),
  };
  const blocks: OutlineBlock[] = [heading(2, t('minutes.interview')), paragraph(facts), heading(3, t('minutes.interview.guide')), guide];
  if (m.experts === 0) return [...blocks, paragraph(t('minutes.interview.none'))];
  return [...blocks, ...summaryTable(m, t), ...quoteBlocks(m, t, ts), ...missingBlocks(m, t)];
}

function summaryTable(m: MinutesInterview, t: T): OutlineBlock[] {
  const table: OutlineBlock = {
    kind: 'table',
    columns: [right('№'), { label: t('minutes.interview.question'), align: 'left' }, ...m.themes.map(right), right(t('minutes.interview.answered'))],
    rows: [
      ...m.rows.map((r) => [[own(r.number)], [user(r.text)], ...r.counts.map((c) => [own(c)]), [own(r.answered)]]),
      [[own('')], strong([own(t('minutes.interview.total'))]), ...m.totals.map((c) => strong([own(c)])), strong([own(m.rows.reduce((n, r) => n + r.answered, 0))])],
    ],
  };
  const note = m.themes.length > 0 ? [paragraph(t('minutes.interview.tableNote'))] : [paragraph(t('minutes.interview.noThemes'))];
  return [heading(3, t('minutes.interview.summary')), table, ...note];
}

const quoteLine = (q: MinutesQuote, ts: TS): Inline => ts('minutes.interview.quote', { text: user(q.text), expert: user(q.expert), question: q.question });

function quoteBlocks(m: MinutesInterview, t: T, ts: TS): OutlineBlock[] {
  const themed = m.quotes.flatMap((q): OutlineBlock[] => [
    heading(4, [user(q.theme), own(` (${q.items.length})`)]),
    { kind: 'list', items: q.items.map((x) => ({ text: quoteLine(x, ts) })) },
  ]);
  const untagged: OutlineBlock[] =
    m.untagged.length > 0 ? [heading(4, t('minutes.interview.untagged')), { kind: 'list', items: m.untagged.map((x) => ({ text: quoteLine(x, ts) })) }] : [];
  if (themed.length + untagged.length === 0) return [];
  return [heading(3, t('minutes.interview.quotes')), ...themed, ...untagged];
}

function missingBlocks(m: MinutesInterview, t: T): OutlineBlock[] {
  if (m.missing.length === 0) return [];
  return [
    heading(3, t('minutes.interview.missing')),
    { kind: 'list', items: m.missing.map((x) => ({ text: [own(t('minutes.interview.missingLine', { number: x.number })), user(x.experts.join(', '))] })) },
  ];
}
