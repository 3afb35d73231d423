import { specOf } from '../ballots/define.js';
import type { BallotDef, BallotSpec } from '../ballots/types.js';
import type { LayoutId } from '../board/layouts.js';
import { translate } from '../i18n/index.js';
import { LOCALES, type CaseText, type GroupMode, type Locale, type SessionState, type StageKind, type BoardScope, type TemplateId } from '../model/types.js';
import { starterBallotSpecs } from './starters.js';
import { guideOf } from '../interview/guide.js';
import type { InterviewGuide } from '../interview/types.js';
import { TEMPLATES, type StageTemplate } from './templates.js';

/**
 * A session template: a session's agenda without anything that happened in it —
 * the stages as the facilitator set them, the ballots as drafts, the dot-vote
 * settings, how many groups, the language and optionally the case. It travels
 * as JSON (export, import, "start from"); `format` and `version` let a later
 * Kenes read an older file.
 */
export interface SessionTemplate {
  format: typeof TEMPLATE_FORMAT;
  version: typeof TEMPLATE_VERSION;
  /** The method the agenda follows: its name heads the minutes. */
  method: TemplateId;
  /** Shown in the list of templates (1–200 characters). */
  name: string;
  description: string;
  /** The language of the session it makes, and of its ballots' texts. */
  locale: Locale;
  /** Groups the session starts with (0–50, named "Group N" until renamed). */
  groups: number;
  groupMode: GroupMode;
  /** The case method's dot vote over the groups' solutions. */
  dots: { dots: number; maxPerOption: number };
  /** The case to discuss, when the template carries one. */
  case: CaseText | null;
  stages: TemplateStage[];
  /** Ballot definitions; a session made from the template has them as drafts. */
  ballots: BallotSpec[];
  /** The expert interview's guide and themes, when the template carries one; a session made from it starts with them, closed. */
  interview?: InterviewGuide;
}

export interface TemplateStage {
  /**
   * A stage of one of the built-in methods (`case.group`, `dt.empathy`, …): it fixes
   * the stage's kind and board, and the title and instructions shown in each
   * viewer's language when `title`/`instructions` are null.
   */
  key: string;
  title: string | null;
  instructions: string | null;
  plannedMin: number;
  layout: LayoutId;
  privateWriting: boolean;
  showAuthors: boolean;
}

export const TEMPLATE_FORMAT = 'kenes-template';
export const TEMPLATE_VERSION = 1;

/** A template kept by the server, listed beside the built-in ones. */
export interface SavedTemplate {
  id: string;
  createdAt: number;
  template: SessionTemplate;
}

/** What saving or importing a template answers: the saved template and the token that deletes it. */
export interface OwnedTemplate extends SavedTemplate {
  /** Given this once (the server keeps only its hash); `DELETE /api/templates/:id` with it removes the template. */
  ownerToken: string;
}

/** How the list of templates shows one. */
export interface TemplateFacts {
  method: TemplateId;
  stages: number;
  /** The planned minutes of every stage, added up. */
  minutes: number;
}

export interface BuiltinTemplateSummary extends TemplateFacts {
  id: TemplateId;
  name: Record<Locale, string>;
  description: Record<Locale, string>;
}

export interface SavedTemplateSummary extends TemplateFacts {
  id: string;
  name: string;
  description: string;
  locale: Locale;
  createdAt: number;
}

/** `GET /api/templates`. */
export interface TemplateList {
  builtIn: BuiltinTemplateSummary[];
  saved: SavedTemplateSummary[];
}

/** Bounds of saved templates, beyond those of the session parts they hold. */
export const TEMPLATE_LIMITS = {
  description: 2000,
  /** Templates a server keeps; importing past it is refused with `too_large`. */
  saved: 1000,
} as const;

/** Every stage a template may use, by key: the stages of the built-in methods. */
export const STAGE_DEFINITIONS: ReadonlyMap<string, StageTemplate> = new Map(
  Object.values(TEMPLATES).flatMap((m) => m.stages.map((s) => [s.key, s] as const)),
);

/** What a stage key fixes: its kind and the board teachers write on. */
export function stageShape(key: string): { kind: StageKind; board: BoardScope } | null {
  const def = STAGE_DEFINITIONS.get(key);
  return def ? { kind: def.kind, board: def.board } : null;
}

/** A built-in method as a template, with its ballots and name in `locale`. */
export function builtinTemplate(id: TemplateId, locale: Locale): SessionTemplate {
  const method = TEMPLATES[id];
  return {
    format: TEMPLATE_FORMAT,
    version: TEMPLATE_VERSION,
    method: id,
    name: translate(locale, `template.${id}.name`),
    description: translate(locale, `template.${id}.description`),
    locale,
    groups: method.defaultGroups,
    groupMode: 'assigned',
    dots: { dots: 3, maxPerOption: 2 },
    case: null,
    stages: method.stages.map((s) => ({
      key: s.key,
      title: null,
      instructions: null,
      plannedMin: s.plannedMin,
      layout: s.layout,
      privateWriting: s.privateWriting,
      showAuthors: s.showAuthors,
    })),
    ballots: starterBallotSpecs(id, locale).map(cleanSpec),
  };
}

/**
 * The agenda of a session as a template: stages as the facilitator left them,
 * ballots back to their definitions (no status, round, results or speaking order;
 * a Delphi deadline is a moment of that session, so it is dropped), the dot-vote
 * settings, the number of groups, the case when one was written.
 */
export function templateFromState(state: SessionState, opts: { name?: string; description?: string } = {}): SessionTemplate {
  const c = state.case;
  const hasCase = c.title.trim() !== '' || c.situation.trim() !== '' || c.questions.trim() !== '';
  return {
    format: TEMPLATE_FORMAT,
    version: TEMPLATE_VERSION,
    method: state.template,
    name: opts.name?.trim() || state.title.trim() || translate(state.locale, `template.${state.template}.name`),
    description: opts.description?.trim() ?? '',
    locale: state.locale,
    groups: state.groups.length,
    groupMode: state.groupMode,
    dots: { dots: state.vote.dots, maxPerOption: state.vote.maxPerOption },
    case: hasCase ? { ...c } : null,
    stages: state.stages.map((s) => ({
      key: s.key,
      title: s.title,
      instructions: s.instructions,
      plannedMin: s.plannedMin,
      layout: s.layout,
      privateWriting: s.privateWriting,
      showAuthors: s.showAuthors,
    })),
    ballots: state.ballots.map((b: BallotDef) => cleanSpec(specOf(b))),
    ...withGuide(state),
  };
}

/** The interview's guide and themes as a template keeps them; nothing when the session has neither. */
function withGuide(state: SessionState): { interview?: InterviewGuide } {
  const guide = guideOf(state.interview);
  return guide ? { interview: guide } : {};
}

/** A ballot definition as a template keeps it: only the fields that are set, and no deadline. */
export function cleanSpec(spec: BallotSpec): BallotSpec {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(spec)) {
    if (v === undefined) continue;
    out[k] = structuredClone(v);
  }
  if (spec.delphi) {
    const { deadline: _moment, ...settings } = spec.delphi;
    out.delphi = settings;
  }
  return out as unknown as BallotSpec;
}

export function templateFacts(t: { method: TemplateId; stages: { plannedMin: number }[] }): TemplateFacts {
  return { method: t.method, stages: t.stages.length, minutes: t.stages.reduce((n, s) => n + s.plannedMin, 0) };
}

export function builtinSummary(id: TemplateId): BuiltinTemplateSummary {
  const inEach = (key: string) => Object.fromEntries(LOCALES.map((l) => [l, translate(l, key)])) as Record<Locale, string>;
  const method = TEMPLATES[id];
  return {
    id,
    ...templateFacts({ method: id, stages: method.stages }),
    name: inEach(`template.${id}.name`),
    description: inEach(`template.${id}.description`),
  };
}

export function savedSummary(saved: SavedTemplate): SavedTemplateSummary {
  const t = saved.template;
  return {
    id: saved.id,
    ...templateFacts(t),
    name: t.name,
    description: t.description,
    locale: t.locale,
    createdAt: saved.createdAt,
  };
}
