import { TEMPLATES } from '../methods/templates.js';
import type { Locale, ProtocolInfo, SessionState, TemplateId } from '../model/types.js';
import { defaultDots } from '../voting/dots.js';
import { starterBallots } from '../methods/starters.js';

export interface NewSession {
  id: string;
  code: string;
  title: string;
  facilitator?: string;
  locale: Locale;
  template: TemplateId;
  now: number;
}

/** A fresh session from its template: first stage current, default groups, no vote yet. */
export function createSessionState(s: NewSession): SessionState {
  const template = TEMPLATES[s.template];
  const stages = template.stages.map((t, i) => ({
    id: `s${i + 1}`,
    key: t.key,
    kind: t.kind,
    board: t.board,
    title: null,
    instructions: null,
    plannedMin: t.plannedMin,
    visits: i === 0 ? [{ startedAt: s.now, endedAt: null }] : [],
    layout: t.layout,
    privateWriting: t.privateWriting,
    revealed: false,
    showAuthors: t.showAuthors,
  }));
  const groups = Array.from({ length: template.defaultGroups }, (_, i) => ({
    id: `g${i + 1}`,
    name: '',
    solution: null,
    roles: {},
  }));
  return {
    id: s.id,
    code: s.code,
    title: s.title,
    facilitator: s.facilitator ?? '',
    locale: s.locale,
    template: s.template,
    createdAt: s.now,
    version: 1,
    stageIndex: 0,
    stages,
    timer: { status: 'idle', durationMs: (stages[0]?.plannedMin ?? 5) * 60_000 },
    groups,
    groupMode: 'assigned',
    case: { title: '', situation: '', questions: '' },
    vote: {
      status: 'idle',
      round: 0,
      dots: 3,
      maxPerOption: 2,
      options: [],
      results: null,
    },
    decision: null,
    protocol: emptyProtocol(),
    screen: { board: null },
    follow: null,
    ballots: starterBallots(s.template, s.locale),
  };
}

/**
 * Fill fields added since a session was stored, so a session created by an
 * older version opens in this one.
 */
export function normalizeState(raw: SessionState): SessionState {
  const template = TEMPLATES[raw.template];
  return {
    ...raw,
    follow: raw.follow ?? null,
    protocol: { ...emptyProtocol(), ...raw.protocol },
    ballots: raw.ballots ?? [],
    groups: raw.groups.map((g) => ({ ...g, roles: g.roles ?? {} })),
    stages: raw.stages.map((st) => {
      const t = template.stages.find((x) => x.key === st.key);
      return {
        ...st,
        layout: st.layout ?? t?.layout ?? 'free',
        privateWriting: st.privateWriting ?? t?.privateWriting ?? false,
        revealed: st.revealed ?? false,
        showAuthors: st.showAuthors ?? t?.showAuthors ?? true,
      };
    }),
  };
}

export function emptyProtocol(): ProtocolInfo {
  return { organisation: '', place: '', number: '', summary: '', decisions: [] };
}

export { defaultDots };
