import {
  applyMeetingOp,
  newMeeting,
  openDecisionIds,
  registerEntries,
  type Council,
  type DecisionExecution,
  type Locale,
  type Meeting,
  type MeetingOp,
  type Workspace,
} from '../src/index.js';
import type { CouncilProtocolInput } from '../src/workspace/protocol.js';

/** 4 December 2026, 15:00 in Aqtobe (UTC+5 all year). */
export const T0 = Date.UTC(2026, 11, 4, 10, 0);
export const ZONE = 'Asia/Aqtobe';
const SEC = 1000;

/** Ten members, with every Kazakh letter among them; the chair is a1, the secretary a2. */
export const NAMES: Record<string, string> = {
  a1: 'Ахметова Гүлнар Сәрсенқызы',
  a2: 'Бекова Әсел Қайратқызы',
  a3: 'Иванов Пётр Петрович',
  a4: 'Жұмабаев Ұлан Шаһизадаұлы',
  a5: 'Нұрланова Іңкәр',
  a6: 'Өмірова Ғалия',
  a7: 'Сейітов Бағдат',
  a8: 'Тоқтарова Айгүл',
  a9: 'Һамитова Мөлдір',
  a10: 'Ыбыраев Қанат',
};
export const MEMBER_IDS = Object.keys(NAMES);

/** What people typed, in the language the council works in. */
export interface CouncilTexts {
  item: string;
  reporter: string;
  heard: string;
  summary: string;
  guestSummary: string;
  decisions: [string, string, string, string];
  earlier: [string, string, string];
  guest: string;
  position: string;
  responsibleName: string;
}

export const TEXTS: Record<'ru' | 'kk', CouncilTexts> = {
  ru: {
    item: 'О критериях оценивания в 5–9 классах',
    reporter: 'Иванов П. П., заместитель директора по УР',
    heard: 'Представил критерии суммативного оценивания за четверть.\nПредложил единые рубрики для всех предметов.',
    summary: 'Поддержала, предложила обсудить рубрики на МО.',
    guestSummary: 'Рассказала об опыте школ города.',
    decisions: [
      'Информацию о ходе исполнения принять к сведению.',
      'Продлить срок проведения открытых уроков.',
      'Утвердить критерии оценивания в 5–9 классах.',
      'Обсуждать рубрики на заседаниях МО ежемесячно.',
    ],
    earlier: ['Провести открытые уроки', 'Обновить календарно-тематические планы', 'Подготовить отчёт о мониторинге'],
    guest: 'Серикова Айнұр',
    position: 'методист шаһар білім бөлімі',
    responsibleName: 'Руководители МО',
  },
  kk: {
    item: '5–9 сыныптардағы бағалау критерийлері туралы',
    reporter: 'Иванов П. П., директордың оқу ісі жөніндегі орынбасары',
    heard: 'Тоқсандық жиынтық бағалау критерийлерін таныстырды.\nБарлық пәндерге ортақ рубрикалар ұсынды.',
    summary: 'Қолдады, рубрикаларды ӘБ отырысында талқылауды ұсынды.',
    guestSummary: 'Қала мектептерінің үздік тәжірибесімен бөлісті. Үлгі ретінде ұсынды.',
    decisions: [
      'Орындалу барысы туралы ақпарат назарға алынсын.',
      'Ашық сабақтар өткізу мерзімі ұзартылсын.',
      '5–9 сыныптардағы бағалау критерийлері бекітілсін.',
      'Рубрикалар ӘБ отырыстарында ай сайын талқылансын.',
    ],
    earlier: ['Ашық сабақтар өткізу', 'Күнтізбелік-тақырыптық жоспарларды жаңарту', 'Мониторинг есебін дайындау'],
    guest: 'Серикова Айнұр',
    position: 'шаһар білім бөлімінің әдіскері',
    responsibleName: 'ӘБ жетекшілері',
  },
};

const COUNCIL: Council = {
  id: 'c1',
  workspaceId: 'w1',
  name: 'Городской методический совет',
  kind: 'methodical',
  memberIds: MEMBER_IDS,
  chairId: 'a1',
  secretaryId: 'a2',
  quorum: { kind: 'majority' },
  createdAt: T0 - 90 * 86_400_000,
  version: 1,
};

/** Apply ops as the secretary would, failing loudly on a refusal. */
export function run(meeting: Meeting, ops: MeetingOp[], now: number, openIds: string[] = []): Meeting {
  let m = meeting;
  for (const op of ops) {
    const r = applyMeetingOp(m, op, { actorId: 'a2', runs: true, now, openDecisionIds: openIds, names: NAMES });
    if (!r.ok) throw new Error(`${op.type}: ${r.error}`);
    m = r.meeting;
  }
  return m;
}

export interface Scenario {
  input: CouncilProtocolInput;
  texts: CouncilTexts;
}

/**
 * The council's third meeting of 2026: nine of ten present, a guest, the review of three earlier
 * decisions (one done since, one still in progress, one overdue), then an item with two speakers
 * (and one still waiting for the floor) and two decisions, one voted 8–0–1 and one unanimously.
 */
export function councilMeeting(locale: Locale, opts: { status?: Meeting['status']; texts?: 'ru' | 'kk' } = {}): Scenario {
  const texts = TEXTS[opts.texts ?? (locale === 'kk' ? 'kk' : 'ru')];
  const workspace: Workspace = {
    id: 'w1',
    name: 'Гимназия',
    organisation: 'КГУ «Школа-гимназия № 12» отдела образования города Алматы',
    place: 'г. Алматы, ул. Абая, 12',
    locale,
    createdAt: COUNCIL.createdAt,
  };
  const council = { ...COUNCIL, name: locale === 'kk' ? 'Қалалық әдістемелік кеңес' : COUNCIL.name };

  // Meeting No. 2 of 15 October left three decisions.
  const earlierBase = newMeeting({ id: 'm2', council, date: '2026-10-15', time: '15:00', place: '', items: [{ id: 'e1', title: 'О плане работы', reporter: '' }], review: false, reviewItemId: 'r0', openDecisionIds: [], now: T0 - 50 * 86_400_000 });
  let earlier: Meeting = { ...earlierBase, number: 2 };
  earlier = run(
    earlier,
    [
      { type: 'decision.add', itemId: 'e1', id: 'old1', text: texts.earlier[0], responsibleId: 'a3', dueDate: '2026-11-30' },
      { type: 'decision.add', itemId: 'e1', id: 'old2', text: texts.earlier[1], responsibleId: 'a5', dueDate: '2027-01-15' },
      { type: 'decision.add', itemId: 'e1', id: 'old3', text: texts.earlier[2], responsibleId: 'a6', dueDate: '2026-12-01' },
      { type: 'meeting.status', status: 'closed' },
    ],
    T0 - 50 * 86_400_000,
  );
  const openIds = openDecisionIds(registerEntries([earlier], [council], [], '2026-11-20'));

  const base = newMeeting({ id: 'm3', council, date: '2026-12-04', time: '15:00', place: '', items: [{ id: 'i1', title: texts.item, reporter: texts.reporter }], review: true, reviewItemId: 'r1', openDecisionIds: openIds, now: T0 - 7 * 86_400_000 });
  let meeting: Meeting = { ...base, number: 3 };
  const present: MeetingOp[] = MEMBER_IDS.map((id) => ({ type: 'attendance.set', accountId: id, status: id === 'a10' ? 'absent' : 'present' }));
  meeting = run(meeting, [{ type: 'meeting.status', status: 'open' }, ...present, { type: 'guest.add', id: 'g1', name: texts.guest, position: texts.position }], T0);
  meeting = run(meeting, [{ type: 'item.update', id: 'r1', reporter: NAMES.a1! }], T0);
  meeting = run(
    meeting,
    [
      { type: 'decision.add', itemId: 'r1', id: 'd1', text: texts.decisions[0] },
      { type: 'decision.vote', itemId: 'r1', id: 'd1', vote: { for: 9, against: 0, abstained: 0 } },
      { type: 'decision.add', itemId: 'r1', id: 'd2', text: texts.decisions[1], dueDate: '2027-01-15' },
      { type: 'decision.vote', itemId: 'r1', id: 'd2', vote: { for: 7, against: 1, abstained: 1 } },
      { type: 'item.update', id: 'i1', heard: texts.heard },
      { type: 'speaker.request', itemId: 'i1', id: 's1', accountId: 'a2' },
      { type: 'speaker.request', itemId: 'i1', id: 's2', name: texts.guest },
      { type: 'speaker.request', itemId: 'i1', id: 's3', accountId: 'a7' },
    ],
    T0 + 10 * 60 * SEC,
  );
  // Бекова speaks 3:05, the guest 1:30; Сейітов is still waiting when the item closes.
  const t1 = T0 + 30 * 60 * SEC;
  meeting = run(meeting, [{ type: 'speaker.start', itemId: 'i1', id: 's1' }], t1);
  meeting = run(meeting, [{ type: 'speaker.end', itemId: 'i1', id: 's1' }, { type: 'speaker.update', itemId: 'i1', id: 's1', summary: texts.summary }], t1 + 185 * SEC);
  meeting = run(meeting, [{ type: 'speaker.start', itemId: 'i1', id: 's2' }], t1 + 200 * SEC);
  meeting = run(meeting, [{ type: 'speaker.end', itemId: 'i1', id: 's2' }, { type: 'speaker.update', itemId: 'i1', id: 's2', summary: texts.guestSummary }], t1 + 290 * SEC);
  meeting = run(
    meeting,
    [
      { type: 'decision.add', itemId: 'i1', id: 'd3', text: texts.decisions[2], responsibleId: 'a3', dueDate: '2026-12-20' },
      { type: 'decision.vote', itemId: 'i1', id: 'd3', vote: { for: 8, against: 0, abstained: 1 } },
      { type: 'decision.add', itemId: 'i1', id: 'd4', text: texts.decisions[3], responsibleName: texts.responsibleName, dueDate: null },
      { type: 'decision.unanimous', itemId: 'i1', id: 'd4' },
    ],
    T0 + 60 * 60 * SEC,
  );
  if ((opts.status ?? 'closed') === 'closed') meeting = run(meeting, [{ type: 'meeting.status', status: 'closed' }], T0 + 90 * 60 * SEC);

  // Since the review item was added, the report was handed in.
  const executions: DecisionExecution[] = [{ decisionId: 'old3', done: true, doneAt: T0 - 86_400_000, note: '', updatedBy: 'a6', updatedAt: T0 - 86_400_000 }];
  const review = registerEntries([earlier], [council], executions, '2026-12-04').filter((e) => meeting.items[0]!.reviewed.includes(e.decision.id));
  return {
    input: { workspace, council, meeting, names: NAMES, review, locale, timeZone: ZONE, generatedAt: T0 + 2 * 60 * 60 * SEC },
    texts,
  };
}
