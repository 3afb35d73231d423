import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
  addNote,
  applyCommand,
  builtinSummary,
  builtinTemplate,
  createCluster,
  createSessionFromTemplate,
  createSessionState,
  LOCALES,
  readCards,
  readClusters,
  readNotes,
  restoreSession,
  sessionArchive,
  TEMPLATE_IDS,
  templateFromState,
  toggleReaction,
  translate,
  writeBoard,
  addCard,
  EMPTY_CARD,
  type Command,
  type SessionState,
  type SessionTemplate,
} from '../src/index.js';
import { sessionArchiveSchema, sessionTemplateSchema } from '../src/protocol/schemas.js';
import { FACILITATOR } from './helpers.js';

const T0 = 1_700_000_000_000;
const ids = { id: 'S2', code: 'QX7M2K', now: T0 + 1 };

function run(state: SessionState, ...cmds: Command[]): SessionState {
  let s = state;
  for (const cmd of cmds) {
    const r = applyCommand(s, cmd, FACILITATOR, { now: T0, present: () => [] });
    if (!r.ok) throw new Error(`${cmd.type}: ${r.error}`);
    s = r.state;
  }
  return s;
}

/** A case session as a facilitator leaves it: edited stages, a case, three groups, a revealed ballot. */
function edited(): SessionState {
  const s = createSessionState({ id: 'S1', code: 'K7M2QX', title: 'Совет №3', locale: 'ru', template: 'case-method', now: T0 });
  return run(
    s,
    { type: 'stage.edit', index: 2, title: 'Свой взгляд', instructions: 'Запишите три факта.', plannedMin: 12 },
    { type: 'stage.settings', index: 3, layout: 'ideas', privateWriting: true, showAuthors: false },
    { type: 'case.set', case: { title: 'Опоздания', situation: 'Ученик 7 «Б» опаздывает.', questions: 'Что делать?' } },
    { type: 'group.add' },
    { type: 'vote.configure', dots: 4, maxPerOption: 1 },
    { type: 'ballot.create', ballot: { id: 'mood', kind: 'single', title: 'Настроение', options: [{ id: 'a', label: 'Хорошо' }, { id: 'b', label: 'Так себе' }] } },
    {
      type: 'ballot.create',
      ballot: {
        id: 'forecast',
        kind: 'rating',
        title: 'Прогноз',
        options: [{ id: 'x', label: 'Вопрос' }],
        delphi: { rule: 'iqr', maxRounds: 3, deadline: T0 + 86_400_000 },
      },
    },
    { type: 'ballot.open', ballotId: 'mood' },
    { type: 'stage.go', index: 4 },
  );
}

describe('built-in templates', () => {
  it.each(TEMPLATE_IDS)('%s starts the same session whether created directly or from its template', (id) => {
    for (const locale of LOCALES) {
      const direct = createSessionState({ id: 'S1', code: 'K7M2QX', title: 'T', locale, template: id, now: T0 });
      const viaTemplate = createSessionFromTemplate(builtinTemplate(id, locale), { id: 'S1', code: 'K7M2QX', title: 'T', now: T0 });
      expect(viaTemplate).toEqual(direct);
    }
  });

  it.each(TEMPLATE_IDS)('%s has a name and a description of its own in ru, kk and en', (id) => {
    const summary = builtinSummary(id);
    for (const locale of LOCALES) {
      expect(summary.name[locale]).toBe(translate(locale, `template.${id}.name`));
      expect(summary.description[locale]).not.toBe(`template.${id}.description`);
      expect(summary.description[locale].length).toBeGreaterThan(60);
    }
    expect(summary.description.ru).not.toBe(summary.description.en);
    expect(summary.description.kk).not.toBe(summary.description.ru);
    expect(summary.description.kk).toMatch(/[ӘәҒғҚқҢңӨөҰұҮүІі]/);
    expect(summary.stages).toBe(builtinTemplate(id, 'en').stages.length);
    expect(summary.minutes).toBe(builtinTemplate(id, 'en').stages.reduce((n, s) => n + s.plannedMin, 0));
  });

  it('passes its own schema in every language', () => {
    for (const id of TEMPLATE_IDS) for (const locale of LOCALES) expect(sessionTemplateSchema.safeParse(builtinTemplate(id, locale)).success).toBe(true);
  });
});

describe('a session as a template', () => {
  it('keeps the agenda and drops what happened', () => {
    const s = edited();
    const t = templateFromState(s, { name: '  Совет по опозданиям ' });
    expect(t.name).toBe('Совет по опозданиям');
    expect(t.method).toBe('case-method');
    expect(t.locale).toBe('ru');
    expect(t.groups).toBe(5);
    expect(t.dots).toEqual({ dots: 4, maxPerOption: 1 });
    expect(t.case?.title).toBe('Опоздания');
    expect(t.stages[2]).toEqual({
      key: 'case.individual',
      title: 'Свой взгляд',
      instructions: 'Запишите три факта.',
      plannedMin: 12,
      layout: 'case-individual',
      privateWriting: false,
      showAuthors: true,
    });
    expect(t.stages[3]).toMatchObject({ layout: 'ideas', privateWriting: true, showAuthors: false });
    expect(t.ballots.map((b) => b.id)).toEqual(['mood', 'forecast']);
    expect(t.ballots[1]!.delphi).toEqual({ rule: 'iqr', maxRounds: 3 });
    const json = JSON.stringify(t);
    expect(json).not.toContain('status');
    expect(json).not.toContain('visits');
    expect(json).not.toContain('deadline');
  });

  it('names the template after the session when no name is given', () => {
    expect(templateFromState(edited()).name).toBe('Совет №3');
    expect(templateFromState(createSessionState({ id: 'a', code: 'B', title: 'X', locale: 'en', template: 'delphi', now: 0 })).case).toBeNull();
  });

  it('starts a new session with the same agenda, first stage current, ballots as drafts', () => {
    const s = edited();
    const parsed = sessionTemplateSchema.parse(JSON.parse(JSON.stringify(templateFromState(s))));
    const next = createSessionFromTemplate(parsed, { ...ids, title: 'Again' });
    const agenda = (x: SessionState) => x.stages.map(({ visits: _v, revealed: _r, ...rest }) => rest);
    expect(agenda(next)).toEqual(agenda(s));
    expect(next.stageIndex).toBe(0);
    expect(next.stages[0]!.visits).toEqual([{ startedAt: ids.now, endedAt: null }]);
    expect(next.stages.slice(1).every((st) => st.visits.length === 0)).toBe(true);
    expect(next.groups.map((g) => g.id)).toEqual(['g1', 'g2', 'g3', 'g4', 'g5']);
    expect(next.case).toEqual(s.case);
    expect(next.vote).toMatchObject({ status: 'idle', dots: 4, maxPerOption: 1, options: [], results: null });
    expect(next.ballots.map((b) => [b.id, b.status, b.round, b.results])).toEqual([
      ['mood', 'draft', 1, null],
      ['forecast', 'draft', 1, null],
    ]);
    expect(next.timer).toEqual({ status: 'idle', durationMs: 5 * 60_000 });
    expect(next.title).toBe('Again');
  });

  it('takes the language asked for over the template’s', () => {
    const t = builtinTemplate('case-method', 'kk');
    expect(createSessionFromTemplate(t, { ...ids, title: 'T', locale: 'en' }).locale).toBe('en');
    expect(createSessionFromTemplate(t, { ...ids, title: 'T' }).locale).toBe('kk');
  });
});

describe('the template schema', () => {
  const good = (): SessionTemplate => JSON.parse(JSON.stringify(templateFromState(edited())));
  const refused = (change: (t: Record<string, any>) => void): string[] => {
    const t = good() as unknown as Record<string, any>;
    change(t);
    const r = sessionTemplateSchema.safeParse(t);
    return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
  };

  it('accepts a template as exported', () => {
    expect(sessionTemplateSchema.safeParse(good()).success).toBe(true);
  });

  it('refuses another format or version', () => {
    expect(refused((t) => (t.format = 'kenes-session'))).toEqual(['format']);
    expect(refused((t) => (t.version = 2))).toEqual(['version']);
  });

  it('refuses stages it cannot run', () => {
    expect(refused((t) => (t.stages[1].key = 'case.unknown'))).toEqual(['stages.1.key']);
    expect(refused((t) => (t.stages[1].plannedMin = 0))).toEqual(['stages.1.plannedMin']);
    expect(refused((t) => (t.stages[1].layout = 'spiral'))).toEqual(['stages.1.layout']);
    expect(refused((t) => (t.stages = []))).toEqual(['stages']);
    expect(refused((t) => (t.stages = Array.from({ length: 31 }, () => t.stages[0])))).toEqual(['stages']);
    expect(refused((t) => (t.stages[0].instructions = 'x'.repeat(4001)))).toEqual(['stages.0.instructions']);
  });

  it('refuses bad ballots, groups and dots', () => {
    expect(refused((t) => (t.ballots[1].id = 'mood'))).toEqual(['ballots.1.id']);
    expect(refused((t) => (t.ballots[0].options = []))).toEqual(['ballots.0']);
    expect(refused((t) => (t.groups = 51))).toEqual(['groups']);
    expect(refused((t) => (t.dots = { dots: 2, maxPerOption: 3 }))).toEqual(['dots']);
    expect(refused((t) => (t.name = '   '))).toEqual(['name']);
    expect(refused((t) => (t.case.situation = 'x'.repeat(20_001)))).toEqual(['case.situation']);
  });

  it('fills what a hand-written template may leave out', () => {
    const t = good() as unknown as Record<string, unknown>;
    delete t.description;
    delete t.case;
    delete t.ballots;
    const parsed = sessionTemplateSchema.parse(t);
    expect(parsed).toMatchObject({ description: '', case: null, ballots: [] });
  });
});

describe('a session archive restored as a new session', () => {
  function archived() {
    const s = run(
      edited(),
      { type: 'group.rename', groupId: 'g1', name: 'Альфа' },
      { type: 'group.solution', groupId: 'g1', text: 'Беседа с родителями' },
    );
    const people = [
      { id: 'pA', name: 'Айгүл', groupId: 'g1', joinedAt: T0 + 5 },
      { id: 'pB', name: 'Борис', groupId: 'g1', joinedAt: T0 + 6 },
    ];
    const withRoles = { ...s, groups: s.groups.map((g) => (g.id === 'g1' ? { ...g, roles: { speaker: 'pA', scribe: 'gone' } } : g)) };
    const group = new Y.Doc();
    addNote(group, { id: 'n1', text: 'Опаздывает по понедельникам', color: 'pink', authorId: 'pA', authorName: 'Айгүл', stageId: 's4', createdAt: T0 + 10, area: 'problems' });
    addNote(group, { id: 'n2', text: 'Далеко живёт', color: 'blue', authorId: 'pB', authorName: 'Борис', stageId: 's4', createdAt: T0 + 11, area: 'causes' });
    toggleReaction(group, 'n1', 'pB');
    createCluster(group, { id: 'c1', name: 'Дорога', area: 'causes', stageId: 's4', createdAt: T0 + 12 }, ['n2']);
    addCard(group, { ...EMPTY_CARD, id: 'k1', stageId: 's4', authorId: 'pA', authorName: 'Айгүл', createdAt: T0 + 13, fromNote: 'n1', title: 'Клуб', forms: ['ted'] });
    const personal = new Y.Doc();
    addNote(personal, { id: 'n3', text: 'Моё', color: 'yellow', authorId: 'pB', authorName: 'Борис', stageId: 's3', createdAt: T0 + 9 });
    const view = (boardId: string, d: Y.Doc) => ({ boardId, notes: readNotes(d), clusters: readClusters(d), cards: readCards(d) });
    return sessionArchive(withRoles, people, [view('g-g1', group), view('p-pB', personal)], T0 + 100);
  }

  it('accepts the archive and gives a new session with new ids and the same content', () => {
    const a = sessionArchiveSchema.parse(JSON.parse(JSON.stringify(archived())));
    let n = 0;
    const r = restoreSession(a, { id: 'NEW', code: 'ZZZZZZ', participantId: () => `q${++n}` });
    expect(r.state).toMatchObject({ id: 'NEW', code: 'ZZZZZZ', version: 1, stageIndex: 4, title: 'Совет №3', follow: null });
    expect(r.state.stages).toEqual(a.state.stages);
    expect(r.state.groups[0]).toMatchObject({ name: 'Альфа', solution: 'Беседа с родителями', roles: { speaker: 'q1' } });
    expect(r.participants).toEqual([
      { id: 'q1', name: 'Айгүл', groupId: 'g1', joinedAt: T0 + 5 },
      { id: 'q2', name: 'Борис', groupId: 'g1', joinedAt: T0 + 6 },
    ]);
    // The open ballot's answers are not in the archive: it is a draft again, without its deadline.
    expect(r.state.ballots.map((b) => [b.id, b.status])).toEqual([
      ['mood', 'draft'],
      ['forecast', 'draft'],
    ]);
    expect(r.boards.map((b) => b.boardId)).toEqual(['g-g1', 'p-q2']);

    const doc = new Y.Doc();
    writeBoard(doc, r.boards[0]!);
    const notes = readNotes(doc);
    expect(notes.map((x) => [x.id, x.text, x.color, x.authorId, x.area, x.clusterId, x.reactions])).toEqual([
      ['n1', 'Опаздывает по понедельникам', 'pink', 'q1', 'problems', null, ['q2']],
      ['n2', 'Далеко живёт', 'blue', 'q2', 'causes', 'c1', []],
    ]);
    expect(readClusters(doc)).toEqual(a.boards[0]!.clusters);
    expect(readCards(doc)).toEqual([{ ...a.boards[0]!.cards[0], authorId: 'q1' }]);
  });

  it('keeps a revealed ballot with its tally', () => {
    const a = archived();
    a.state.ballots[0] = { ...a.state.ballots[0]!, status: 'revealed', results: { kind: 'single', round: 1, voters: 1, tieRule: 'shared', tie: false, options: [{ optionId: 'a', rank: 1, count: 1, share: 1 }, { optionId: 'b', rank: 2, count: 0, share: 0 }] } };
    const r = restoreSession(sessionArchiveSchema.parse(JSON.parse(JSON.stringify(a))), { id: 'N', code: 'C', participantId: () => 'x' });
    expect(r.state.ballots[0]).toEqual(a.state.ballots[0]);
  });

  it('refuses archives whose parts do not fit together or are out of bounds', () => {
    const problems = (change: (a: Record<string, any>) => void) => {
      const a = JSON.parse(JSON.stringify(archived()));
      change(a);
      const r = sessionArchiveSchema.safeParse(a);
      return r.success ? [] : r.error.issues.map((i) => i.path.join('.'));
    };
    expect(problems(() => {})).toEqual([]);
    expect(problems((a) => (a.format = 'kenes-template'))).toEqual(['format']);
    expect(problems((a) => (a.state.stageIndex = 8))).toEqual(['state.stageIndex']);
    expect(problems((a) => (a.boards[1].boardId = 'p-nobody'))).toEqual(['boards.1.boardId']);
    expect(problems((a) => (a.boards[0].boardId = 'g-g9'))).toEqual(['boards.0.boardId']);
    expect(problems((a) => (a.participants[1].id = 'pA'))).toContain('participants.1.id');
    expect(problems((a) => (a.participants[0].groupId = 'g9'))).toEqual(['participants.0.groupId']);
    expect(problems((a) => (a.boards[0].notes[0].text = 'x'.repeat(1001)))).toEqual(['boards.0.notes.0.text']);
    expect(problems((a) => (a.boards[0].notes = Array.from({ length: 501 }, () => a.boards[0].notes[0])))).toEqual(['boards.0.notes']);
    expect(problems((a) => (a.state.ballots[0].results = { kind: 'single', round: 1 }))).toContain('state.ballots.0.results.voters');
  });
});
