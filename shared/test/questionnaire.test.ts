/// <reference types="node" />
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  buildBallot,
  checkBallotDef,
  LOCALES,
  QUESTIONNAIRE,
  questionnaireBallots,
  selfRatingBallot,
  SELF_RATING_CRITERIA,
  tallyBallot,
  TEMPLATE_IDS,
  TEMPLATES,
  LAYOUT_IDS,
  createSessionState,
  starterBallotSpecs,
} from '../src/index.js';

/** Appendix 1 of the source article (the questionnaire for teachers), verbatim as published. */
const ARTICLE = fileURLToPath(new URL('./fixtures/appendix-1.txt', import.meta.url));
/**
 * The article with the PDF's line breaks and repeated spaces folded into single spaces;
 * a compound word broken at its hyphen across lines ("учебно-⏎методической") is joined.
 */
const article = readFileSync(ARTICLE, 'utf8').replace(/-[ \t]*\n\s*/g, '-').replace(/\s+/g, ' ');
const appendix = article.slice(article.indexOf('Приложение 1'));

describe('the questionnaire of Appendix 1', () => {
  it('has the thirteen questions of the article: eight closed, five open', () => {
    expect(QUESTIONNAIRE.questions).toHaveLength(13);
    expect(QUESTIONNAIRE.questions.filter((q) => q.kind === 'single')).toHaveLength(8);
    expect(QUESTIONNAIRE.questions.filter((q) => q.kind === 'text')).toHaveLength(5);
    for (const q of QUESTIONNAIRE.questions) expect(q.options.length > 0).toBe(q.kind === 'single');
  });

  it('quotes the Russian word for word from the article', () => {
    expect(appendix.length).toBeGreaterThan(1000);
    const texts = [
      QUESTIONNAIRE.title.ru,
      QUESTIONNAIRE.subtitle.ru,
      QUESTIONNAIRE.purpose.ru,
      QUESTIONNAIRE.instructions.ru,
      ...Object.values(QUESTIONNAIRE.parts).map((p) => p.ru),
      ...QUESTIONNAIRE.questions.flatMap((q) => [q.text.ru, ...q.options.map((o) => o.label.ru)]),
    ];
    expect(texts.filter((s) => !appendix.includes(s))).toEqual([]);
  });

  it('has every question and option in Russian, Kazakh and English', () => {
    for (const q of QUESTIONNAIRE.questions) {
      for (const l of LOCALES) {
        expect(q.text[l].trim().length, `${q.id} ${l}`).toBeGreaterThan(3);
        for (const o of q.options) expect(o.label[l].trim().length, `${q.id}/${o.id} ${l}`).toBeGreaterThan(1);
      }
      // translations are not copies of the Russian
      expect(q.text.kk).not.toBe(q.text.ru);
      expect(q.text.en).not.toBe(q.text.ru);
    }
    const kk = QUESTIONNAIRE.questions.map((q) => q.text.kk).join(' ');
    expect(kk).toMatch(/[ӘәҒғҚқҢңӨөҰұҮүІі]/);
    expect(kk).not.toMatch(/[A-Za-z]/);
  });

  it.each(LOCALES)('turns into valid anonymous ballots in %s', (locale) => {
    const specs = questionnaireBallots(locale);
    expect(specs).toHaveLength(13);
    specs.forEach((spec, i) => {
      const def = buildBallot(spec, spec.id!);
      expect(checkBallotDef(def)).toBeNull();
      expect(def.privacy).toBe('anonymous');
      expect(def.kind).toBe(QUESTIONNAIRE.questions[i]!.kind);
      expect(def.title.startsWith(`${i + 1}. ${QUESTIONNAIRE.questions[i]!.text[locale]}`)).toBe(true);
    });
    expect(new Set(specs.map((s) => s.id)).size).toBe(13);
  });

  it('reports shares per answer: 13 of 20 → 65 %', () => {
    const spec = questionnaireBallots('ru').find((s) => s.id === 'q-difference')!;
    const def = buildBallot(spec, spec.id!);
    const answers = Array.from({ length: 20 }, (_, i) => ({
      voter: `v${i}`,
      answer: { kind: 'single' as const, option: i < 13 ? 'synonyms' : i < 16 ? 'practice-theory' : 'deeper' },
    }));
    const r = tallyBallot(def, answers);
    if (r.kind !== 'single') throw new Error(r.kind);
    const syn = r.options.find((o) => o.optionId === 'synonyms')!;
    expect(syn.count).toBe(13);
    expect(Math.round(syn.share * 100)).toBe(65);
  });
});

describe('the self-rating questionnaire', () => {
  it.each(LOCALES)('is a valid rating ballot in %s', (locale) => {
    const spec = selfRatingBallot(locale);
    const def = buildBallot(spec, spec.id!);
    expect(checkBallotDef(def)).toBeNull();
    expect(def.kind).toBe('rating');
    expect(def.options).toHaveLength(SELF_RATING_CRITERIA.length);
  });
  it('names every criterion in three languages', () => {
    for (const c of SELF_RATING_CRITERIA) for (const l of LOCALES) expect(c.label[l].length).toBeGreaterThan(3);
  });
});

describe('the method templates', () => {
  it.each(TEMPLATE_IDS)('%s is valid: unique stage keys, layouts known, a session starts', (id) => {
    const tpl = TEMPLATES[id];
    expect(tpl.id).toBe(id);
    expect(tpl.stages.length).toBeGreaterThan(1);
    expect(new Set(tpl.stages.map((s) => s.key)).size).toBe(tpl.stages.length);
    for (const st of tpl.stages) expect(LAYOUT_IDS).toContain(st.layout);
    for (const locale of LOCALES) {
      const state = createSessionState({ id: 'x', code: 'ABC123', title: 't', locale, template: id, now: 0 });
      expect(state.stages).toHaveLength(tpl.stages.length);
      for (const b of state.ballots) expect(checkBallotDef(b)).toBeNull();
    }
  });

  it('keeps the case method and design thinking as they were', () => {
    expect(TEMPLATES['case-method'].stages.map((s) => s.key)).toEqual([
      'case.join', 'case.read', 'case.individual', 'case.group', 'case.present', 'case.vote', 'case.decide', 'case.reflect',
    ]);
    expect(TEMPLATES['design-thinking'].stages.map((s) => s.key)).toEqual([
      'dt.opening', 'dt.empathy', 'dt.focus', 'dt.ideation', 'dt.prototype', 'dt.test', 'dt.closing',
    ]);
    expect(createSessionState({ id: 'x', code: 'ABC123', title: 't', locale: 'ru', template: 'case-method', now: 0 }).ballots).toEqual([]);
  });

  it('starts the questionnaire session with the questionnaire, the self-assessment with the self-rating', () => {
    const q = createSessionState({ id: 'x', code: 'ABC123', title: 't', locale: 'kk', template: 'questionnaire', now: 0 });
    expect(q.ballots).toHaveLength(13);
    expect(q.ballots.every((b) => b.status === 'draft' && b.privacy === 'anonymous')).toBe(true);
    expect(q.ballots[0]!.title).toContain(QUESTIONNAIRE.questions[0]!.text.kk);
    const sa = createSessionState({ id: 'x', code: 'ABC123', title: 't', locale: 'en', template: 'self-assessment', now: 0 });
    expect(sa.ballots.map((b) => b.kind)).toEqual(['rating']);
    expect(starterBallotSpecs('delphi', 'ru')).toEqual([]);
  });

  it('names the nominal group writing stage private', () => {
    expect(TEMPLATES['nominal-group'].stages[0]!.privateWriting).toBe(true);
  });
});
