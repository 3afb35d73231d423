import { buildBallot } from '../ballots/define.js';
import type { BallotDef, BallotSpec } from '../ballots/types.js';
import type { Locale, TemplateId } from '../model/types.js';
import { questionnaireBallots, selfRatingBallot } from './questionnaire.js';

/**
 * The ballots a template starts with, as drafts in the session's language:
 * the questionnaire of Appendix 1 for `questionnaire`, the self-rating by
 * criteria for `self-assessment`; none for the others.
 */
export function starterBallotSpecs(template: TemplateId, locale: Locale): BallotSpec[] {
  if (template === 'questionnaire') return questionnaireBallots(locale);
  if (template === 'self-assessment') return [selfRatingBallot(locale)];
  return [];
}

export function starterBallots(template: TemplateId, locale: Locale): BallotDef[] {
  return starterBallotSpecs(template, locale).map((spec) => buildBallot(spec, spec.id!));
}

/**
 * The same specs with ids that do not clash with `taken` (a second copy of the
 * questionnaire gets `q-experience-2` …), so a console button may add a set twice.
 */
export function withFreshIds(specs: BallotSpec[], taken: Iterable<string>): BallotSpec[] {
  const used = new Set(taken);
  let n = 1;
  const clashes = (k: number) => specs.some((s) => used.has(k === 1 ? s.id! : `${s.id}-${k}`));
  while (clashes(n)) n++;
  return specs.map((s) => ({ ...s, id: n === 1 ? s.id : `${s.id}-${n}` }));
}
