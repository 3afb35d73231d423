import {
  applyProjectOp,
  assessmentSummaries,
  indicatorProgress,
  newProject,
  type BlobMeta,
  type PortfolioView,
  type Project,
  type ProjectOp,
  type ProjectView,
  type WorkspaceRole,
} from '../src/index.js';

/** 1 September 2026, 09:00 in Aqtobe (UTC+5); a day and an hour in ms. */
export const T0 = Date.UTC(2026, 8, 1, 4, 0);
export const DAY = 86_400_000;
export const ZONE = 'Asia/Aqtobe';

/** The workspace's people, every Kazakh letter among them. */
export const NAMES: Record<string, string> = {
  boss: 'Ахметова Гүлнар Сәрсенқызы',
  mgr: 'Бекова Әсел Қайратқызы',
  mate: 'Жұмабаев Ұлан Шаһизадаұлы',
  e1: 'Нұрланова Іңкәр',
  e2: 'Өмірова Ғалия',
  e3: 'Һамитова Мөлдір',
};
const ROLES: Record<string, WorkspaceRole> = { boss: 'methodologist', mgr: 'teacher', mate: 'teacher', e1: 'expert', e2: 'expert', e3: 'expert' };

/** What people typed, in the language the workspace works in. */
export interface ProjectTexts {
  title: string;
  goal: string;
  audience: string;
  formsOther: string;
  teamRole: string;
  indicators: [string, string];
  units: [string, string];
  milestones: [string, string];
  reports: [string, string];
  criteria: [string, string, string];
  notes: [string, string];
  comment: string;
  file: string;
}

export const PROJECT_TEXTS: Record<'ru' | 'kk', ProjectTexts> = {
  ru: {
    title: 'Цифровая грамотность учителя',
    goal: 'Научить учителей 5–9 классов применять ЦОР на каждом уроке.',
    audience: 'Учителя основной школы',
    formsOther: 'наставничество в парах',
    teamRole: 'методист',
    indicators: ['Доля уроков с ЦОР', 'Число открытых уроков'],
    units: ['%', 'уроков'],
    milestones: ['Итоги первого полугодия', 'Итоги учебного года'],
    reports: ['Проведены три семинара.\nУчителя освоили онлайн-доски.', 'Все учителя провели открытые уроки.'],
    criteria: ['Актуальность', 'Результативность', 'Охват'],
    notes: ['старт после педсовета', 'цели достигнуты'],
    comment: 'Хорошая динамика',
    file: 'Отчёт за полугодие.pdf',
  },
  kk: {
    title: 'Мұғалімнің цифрлық сауаттылығы',
    goal: '5–9 сынып мұғалімдерін әр сабақта ЦБР қолдануға үйрету.',
    audience: 'Негізгі мектеп мұғалімдері',
    formsOther: 'жұптағы тәлімгерлік',
    teamRole: 'әдіскер',
    indicators: ['ЦБР қолданылған сабақтар үлесі', 'Ашық сабақтар саны'],
    units: ['%', 'сабақ'],
    milestones: ['Бірінші жартыжылдық қорытындысы', 'Оқу жылының қорытындысы'],
    reports: ['Үш семинар өтті.\nМұғалімдер онлайн-тақталарды меңгерді.', 'Барлық мұғалім ашық сабақ өткізді.'],
    criteria: ['Өзектілігі', 'Нәтижелілігі', 'Қамтуы'],
    notes: ['педкеңестен кейін басталды', 'мақсатқа жетті'],
    comment: 'Жақсы серпін',
    file: 'Жартыжылдық есебі.pdf',
  },
};

/** The file a report attaches. */
export const REPORT_FILE: BlobMeta = {
  id: 'f1',
  workspaceId: 'w1',
  ownerId: 'mgr',
  name: '',
  type: 'application/pdf',
  size: 245_760,
  sha256: '0'.repeat(64),
  createdAt: T0,
};

function run(p: Project, actorId: string, at: number, op: ProjectOp): Project {
  const r = applyProjectOp(p, op, {
    actorId,
    role: ROLES[actorId] ?? null,
    now: at,
    names: NAMES,
    councilMembers: (id) => (id === 'council' ? ['e1', 'e2', 'e3'] : null),
    attachable: (id) => id === 'f1' && actorId === 'mgr',
  });
  if (!r.ok) throw new Error(`${op.type} by ${actorId}: ${r.error}`);
  return r.project;
}

/**
 * A project from a sprint's card, through its whole year: started, an intermediate report
 * (with a file) assessed by three experts and closed, a final report not yet assessed, completed.
 * Indicator 1 goes 20 → 35 → 50 of 60 (75 % of the way); indicator 2 goes 0 → 12 of 10 (all of it).
 */
export function projectView(locale: 'ru' | 'kk'): { view: ProjectView; texts: ProjectTexts } {
  const x = PROJECT_TEXTS[locale];
  let p = newProject({
    id: 'p1',
    workspaceId: 'w1',
    title: x.title,
    managerId: 'mgr',
    managerName: NAMES.mgr!,
    goal: x.goal,
    audience: x.audience,
    forms: ['worldCafe', 'ted'],
    formsOther: x.formsOther,
    team: [{ accountId: 'mate', name: NAMES.mate!, role: x.teamRole }],
    indicators: [
      { id: 'i1', name: x.indicators[0], unit: x.units[0], baseline: 20, target: 60 },
      { id: 'i2', name: x.indicators[1], unit: x.units[1], baseline: 0, target: 10 },
    ],
    milestones: [
      { id: 'm1', title: x.milestones[0], kind: 'intermediate', due: '2026-12-25' },
      { id: 'm2', title: x.milestones[1], kind: 'final', due: '2027-05-25' },
    ],
    source: { sessionId: 's1', code: 'ABC123', boardId: 'g1', cardId: 'c1' },
    by: 'boss',
    now: T0,
  });
  const criteria = x.criteria.map((label, i) => ({ id: `c${i + 1}`, label, weight: i === 0 ? 2 : 1 }));
  p = run(p, 'mgr', T0 + 2 * DAY, { type: 'project.status', status: 'active', note: x.notes[0] });
  p = run(p, 'mgr', T0 + 110 * DAY, { type: 'report.add', id: 'r1', milestoneId: 'm1', text: x.reports[0], values: { i1: 35, i2: 4 }, attachmentIds: ['f1'] });
  p = run(p, 'boss', T0 + 111 * DAY, { type: 'assessment.open', reportId: 'r1', councilId: 'council', criteria, scale: { min: 1, max: 5 } });
  p = run(p, 'e1', T0 + 112 * DAY, { type: 'assessment.score', reportId: 'r1', scores: { c1: 5, c2: 4, c3: 2 }, comment: x.comment });
  p = run(p, 'e2', T0 + 112 * DAY, { type: 'assessment.score', reportId: 'r1', scores: { c1: 4, c2: 3, c3: 1 }, comment: '' });
  p = run(p, 'e3', T0 + 113 * DAY, { type: 'assessment.score', reportId: 'r1', scores: { c1: 5, c2: 2, c3: 3 }, comment: '' });
  p = run(p, 'boss', T0 + 114 * DAY, { type: 'assessment.close', reportId: 'r1' });
  p = run(p, 'mate', T0 + 265 * DAY, { type: 'report.add', id: 'r2', milestoneId: 'm2', text: x.reports[1], values: { i1: 50, i2: 12 }, attachmentIds: [] });
  p = run(p, 'boss', T0 + 270 * DAY, { type: 'project.status', status: 'completed', note: x.notes[1] });
  const name = (id: string) => NAMES[id] ?? id;
  return {
    view: {
      project: p,
      files: [{ ...REPORT_FILE, name: x.file }],
      assessments: assessmentSummaries(p, name),
      progress: indicatorProgress(p),
      can: { edit: true, report: true, score: false },
      names: NAMES,
    },
    texts: x,
  };
}

/** What a teacher typed into their portfolio, in their language. */
export interface PortfolioTexts {
  position: string;
  school: string;
  subject: string;
  category: string;
  experience: string;
  note: string;
  sessions: [string, string];
  group: string;
  criterion: string;
  products: [string, string];
  coAuthors: string;
  certificate: string;
  issuer: string;
  video: string;
  timed: [string, string];
  sharedEntry: string;
  privateEntry: string;
  files: [string, string];
}

export const PORTFOLIO_TEXTS: Record<'ru' | 'kk', PortfolioTexts> = {
  ru: {
    position: 'учитель информатики',
    school: 'КГУ «Школа-гимназия № 12»',
    subject: 'Информатика',
    category: 'педагог-исследователь',
    experience: '12 лет',
    note: 'Портфолио отражает работу по внедрению ЦОР.\nСобрано за 2026–2027 учебный год.',
    sessions: ['Критерии успеха урока', 'Цифровые ресурсы на уроке'],
    group: 'Группа 2',
    criterion: 'Использую цифровые ресурсы',
    products: ['Рабочая программа курса «Робототехника»', 'Сборник заданий по алгоритмам'],
    coAuthors: 'Иванов П. П.',
    certificate: 'Курсы повышения квалификации «Цифровая школа»',
    issuer: 'АО «Өрлеу»',
    video: 'Урок информатики в 7 классе',
    timed: ['Постановка цели урока', 'Работа в парах'],
    sharedEntry: 'Ученики быстрее освоили циклы в парах.',
    privateEntry: 'Личное: устала к концу четверти.',
    files: ['Сборник заданий.docx', 'Сертификат Өрлеу.pdf'],
  },
  kk: {
    position: 'информатика пәнінің мұғалімі',
    school: '«№ 12 мектеп-гимназиясы» КММ',
    subject: 'Информатика',
    category: 'педагог-зерттеуші',
    experience: '12 жыл',
    note: 'Портфолио ЦБР енгізу жұмысын көрсетеді.\n2026–2027 оқу жылында жиналды.',
    sessions: ['Сабақтың табыс критерийлері', 'Сабақтағы цифрлық ресурстар'],
    group: '2-топ',
    criterion: 'Цифрлық ресурстарды қолданамын',
    products: ['«Робототехника» курсының жұмыс бағдарламасы', 'Алгоритмдер бойынша тапсырмалар жинағы'],
    coAuthors: 'Серікбаева Ә. Қ., Ғалымов Ө., Ұлықбекова Ү., Һамитов І. Шаһмарданұлы',
    certificate: '«Цифрлық мектеп» біліктілікті арттыру курстары',
    issuer: '«Өрлеу» АҚ',
    video: '7-сыныптағы информатика сабағы',
    timed: ['Сабақ мақсатын қою', 'Жұптық жұмыс'],
    sharedEntry: 'Оқушылар циклдерді жұпта тезірек меңгерді.',
    privateEntry: 'Жеке: тоқсан соңында шаршадым.',
    files: ['Тапсырмалар жинағы.docx', 'Өрлеу сертификаты.pdf'],
  },
};

export const TEACHER = 'Сейітова Айгүл Бағдатқызы';

/**
 * A teacher's portfolio in the middle of the academic year 2026–2027: two sessions (one in a
 * group with a role), a criterion self-rated twice (3 then 4 of 5), a shared and a private diary
 * entry, two products (one a link, one an uploaded file), a certificate with its scan, and a lesson
 * recording with two time-coded notes.
 */
export function portfolioView(locale: 'ru' | 'kk'): { view: PortfolioView; texts: PortfolioTexts } {
  const x = PORTFOLIO_TEXTS[locale];
  const file = (id: string, name: string, type: string, size: number): BlobMeta => ({ id, workspaceId: null, ownerId: 't1', name, type, size, sha256: '0'.repeat(64), createdAt: T0 });
  const rating = (n: number, at: number, date: string, value: number) => ({
    sessionId: `s${n}`,
    code: n === 1 ? 'KXR4PA' : 'QWE7RT',
    sessionTitle: x.sessions[n - 1]!,
    ballotId: `b${n}`,
    round: 1,
    title: x.criterion,
    date,
    at,
    scale: { min: 1, max: 5 },
    ratings: [{ criterionId: `crit-${n}`, label: x.criterion, value }],
  });
  return {
    view: {
      account: { id: 't1', login: 'aigul', name: TEACHER, createdAt: T0 },
      record: {
        accountId: 't1',
        particulars: { position: x.position, school: x.school, subject: x.subject, category: x.category, experience: x.experience },
        note: x.note,
        products: [
          { id: 'pr1', title: x.products[0], type: 'curriculum', year: 2026, coAuthors: '', url: 'https://example.org/robotics', fileId: null },
          { id: 'pr2', title: x.products[1], type: 'teaching-kit', year: 2027, coAuthors: x.coAuthors, url: null, fileId: 'fa' },
        ],
        certificates: [{ id: 'ce1', title: x.certificate, issuer: x.issuer, date: '2026-11-20', fileId: 'fb' }],
        videos: [
          {
            id: 'v1',
            title: x.video,
            date: '2027-02-10',
            url: 'https://video.example.org/lesson-7',
            notes: [
              { atSec: 760, text: x.timed[1] },
              { atSec: 95, text: x.timed[0] },
            ],
          },
        ],
        selfRatings: [rating(2, T0 + 150 * DAY, '2027-01-29', 4), rating(1, T0 + 20 * DAY, '2026-09-21', 3)],
        version: 3,
      },
      sessions: [
        { sessionId: 's2', participantId: 'p2', code: 'QWE7RT', title: x.sessions[1], template: 'self-assessment', workspaceId: 'w1', groupName: null, joinedAt: T0 + 150 * DAY, date: '2027-01-29', groupRole: null },
        { sessionId: 's1', participantId: 'p1', code: 'KXR4PA', title: x.sessions[0], template: 'design-thinking', workspaceId: 'w1', groupName: x.group, joinedAt: T0 + 20 * DAY, date: '2026-09-21', groupRole: 'scribe' },
      ],
      diary: [
        { id: 'd1', sessionId: 's1', code: 'KXR4PA', sessionTitle: x.sessions[0], kind: 'success', text: x.sharedEntry, shared: true, createdAt: T0 + 20 * DAY },
        { id: 'd2', sessionId: 's1', code: 'KXR4PA', sessionTitle: x.sessions[0], kind: 'difficulty', text: x.privateEntry, shared: false, createdAt: T0 + 21 * DAY },
      ],
      files: [
        file('fa', x.files[0], 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 1_572_864),
        file('fb', x.files[1], 'application/pdf', 348_160),
      ],
    },
    texts: x,
  };
}
