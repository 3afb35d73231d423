import { buildBallot } from '../ballots/define.js';
import { stageShape, type SessionTemplate } from '../methods/agenda.js';
import type { Locale, SessionState, Stage } from '../model/types.js';
import { emptyProtocol } from './session.js';
import { interviewFromGuide } from '../interview/guide.js';

export interface NewSessionFromTemplate {
  id: string;
  code: string;
  title: string;
  facilitator?: string;
  /** The session's language; the template's when not given. */
  locale?: Locale;
  now: number;
}

/**
 * A fresh session with a template's agenda: its stages (the first one current),
 * groups, dot-vote settings, case, ballots as drafts and the interview's guide (closed). The template is trusted
 * to have passed `sessionTemplateSchema`; a stage key no method knows becomes an
 * individual stage without a board rather than failing here.
 */
export function createSessionFromTemplate(t: SessionTemplate, s: NewSessionFromTemplate): SessionState {
  const stages: Stage[] = t.stages.map((st, i) => ({
    id: `s${i + 1}`,
    key: st.key,
    ...(stageShape(st.key) ?? { kind: 'individual', board: 'none' }),
    title: st.title,
    instructions: st.instructions,
    plannedMin: st.plannedMin,
    visits: i === 0 ? [{ startedAt: s.now, endedAt: null }] : [],
    layout: st.layout,
    privateWriting: st.privateWriting,
    revealed: false,
    showAuthors: st.showAuthors,
  }));
  return {
    id: s.id,
    code: s.code,
    title: s.title,
    facilitator: s.facilitator ?? '',
    locale: s.locale ?? t.locale,
    template: t.method,
    createdAt: s.now,
    version: 1,
    stageIndex: 0,
    stages,
    timer: { status: 'idle', durationMs: (stages[0]?.plannedMin ?? 5) * 60_000 },
    groups: Array.from({ length: t.groups }, (_, i) => ({ id: `g${i + 1}`, name: '', solution: null, roles: {} })),
    groupMode: t.groupMode,
    case: t.case ? { ...t.case } : { title: '', situation: '', questions: '' },
    vote: { status: 'idle', round: 0, dots: t.dots.dots, maxPerOption: t.dots.maxPerOption, options: [], results: null },
    decision: null,
    protocol: emptyProtocol(),
    screen: { board: null },
    follow: null,
    ballots: t.ballots.map((spec, i) => buildBallot(spec, spec.id ?? `b${i + 1}`)),
    ...(t.interview ? { interview: interviewFromGuide(t.interview) } : {}),
  };
}
