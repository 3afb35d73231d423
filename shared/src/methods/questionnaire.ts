import type { BallotSpec } from '../ballots/types.js';
import type { Locale } from '../model/types.js';

/**
 * The questionnaire of Appendix 1 of the source («Анкета для педагогов»), built in.
 * The Russian is the article's text word for word (line breaks of the PDF joined
 * with single spaces); the Kazakh and English are translations.
 */

export type Trilingual = Record<Locale, string>;

export interface QuestionnaireOption {
  id: string;
  label: Trilingual;
}

export interface QuestionnaireQuestion {
  /** Stable id, also the ballot id (`q-<id>`). */
  id: string;
  /** 1…4 for the four parts, 5 for the additional questions. */
  part: number;
  kind: 'single' | 'text';
  text: Trilingual;
  /** Empty for open questions. */
  options: QuestionnaireOption[];
}

export interface Questionnaire {
  title: Trilingual;
  subtitle: Trilingual;
  purpose: Trilingual;
  instructions: Trilingual;
  parts: Record<number, Trilingual>;
  questions: QuestionnaireQuestion[];
}

const t = (ru: string, kk: string, en: string): Trilingual => ({ ru, kk, en });
const opt = (id: string, ru: string, kk: string, en: string): QuestionnaireOption => ({ id, label: t(ru, kk, en) });
const YES = opt('yes', 'Да', 'Иә', 'Yes');
const NO = opt('no', 'Нет', 'Жоқ', 'No');

export const QUESTIONNAIRE: Questionnaire = {
  title: t('Анкета для педагогов', 'Педагогтерге арналған сауалнама', 'Questionnaire for teachers'),
  subtitle: t(
    '«Организация учебно-методической и научно-методической работы в организации образования»',
    '«Білім беру ұйымында оқу-әдістемелік және ғылыми-әдістемелік жұмысты ұйымдастыру»',
    '“Organising educational-methodological and scientific-methodological work in an educational organisation”',
  ),
  purpose: t(
    'Цель анкеты: Определить уровень понимания педагогами различий между учебно-методической и научно-методической работой.',
    'Сауалнаманың мақсаты: педагогтердің оқу-әдістемелік және ғылыми-әдістемелік жұмыс арасындағы айырмашылықтарды түсіну деңгейін анықтау.',
    'Purpose of the questionnaire: to determine how well teachers understand the differences between educational-methodological and scientific-methodological work.',
  ),
  instructions: t(
    'Инструкции: Пожалуйста, отметьте один из предложенных вариантов ответа, который наиболее точно отражает ваше мнение.',
    'Нұсқаулық: Өз пікіріңізді барынша дәл көрсететін ұсынылған жауап нұсқаларының біреуін белгілеңіз.',
    'Instructions: please mark the one answer option that most accurately reflects your opinion.',
  ),
  parts: {
    1: t('Часть 1. Общие сведения', '1-бөлім. Жалпы мәліметтер', 'Part 1. General information'),
    2: t('Часть 2. Понимание терминов', '2-бөлім. Терминдерді түсіну', 'Part 2. Understanding of the terms'),
    3: t(
      'Часть 3. Опыт участия в научно-методической работе',
      '3-бөлім. Ғылыми-әдістемелік жұмысқа қатысу тәжірибесі',
      'Part 3. Experience of taking part in scientific-methodological work',
    ),
    4: t(
      'Часть 4. Оценка важности научно-методической работы',
      '4-бөлім. Ғылыми-әдістемелік жұмыстың маңыздылығын бағалау',
      'Part 4. The importance of scientific-methodological work',
    ),
    5: t('Дополнительные вопросы:', 'Қосымша сұрақтар:', 'Additional questions:'),
  },
  questions: [
    {
      id: 'experience',
      part: 1,
      kind: 'single',
      text: t('Ваш опыт работы в образовании (лет):', 'Білім беру саласындағы жұмыс тәжірибеңіз (жыл):', 'Your experience of working in education (years):'),
      options: [
        opt('lt5', 'Менее 5 лет', '5 жылдан аз', 'Less than 5 years'),
        opt('5-10', '5-10 лет', '5-10 жыл', '5-10 years'),
        opt('11-15', '11-15 лет', '11-15 жыл', '11-15 years'),
        opt('gt15', 'Более 15 лет', '15 жылдан астам', 'More than 15 years'),
      ],
    },
    {
      id: 'position',
      part: 1,
      kind: 'single',
      text: t('Ваша должность:', 'Лауазымыңыз:', 'Your position:'),
      options: [
        opt('teacher', 'Учитель', 'Мұғалім', 'Teacher'),
        opt('deputy', 'Заместитель директора', 'Директордың орынбасары', 'Deputy head'),
        opt('methodologist', 'Методист', 'Әдіскер', 'Methodologist'),
        opt('other', 'Другое (укажите)', 'Басқа (көрсетіңіз)', 'Other (please specify)'),
      ],
    },
    {
      id: 'training',
      part: 1,
      kind: 'single',
      text: t(
        'Участвовали ли Вы в курсах повышения квалификации по вопросам научно-методической работы?',
        'Ғылыми-әдістемелік жұмыс мәселелері бойынша біліктілікті арттыру курстарына қатыстыңыз ба?',
        'Have you taken professional development courses on scientific-methodological work?',
      ),
      options: [YES, NO],
    },
    {
      id: 'term-educational',
      part: 2,
      kind: 'text',
      text: t(
        'Как Вы понимаете термин «учебно-методическая работа»?',
        '«Оқу-әдістемелік жұмыс» терминін қалай түсінесіз?',
        'How do you understand the term “educational-methodological work”?',
      ),
      options: [],
    },
    {
      id: 'term-scientific',
      part: 2,
      kind: 'text',
      text: t(
        'Как Вы понимаете термин «научно-методическая работа»?',
        '«Ғылыми-әдістемелік жұмыс» терминін қалай түсінесіз?',
        'How do you understand the term “scientific-methodological work”?',
      ),
      options: [],
    },
    {
      id: 'difference',
      part: 2,
      kind: 'single',
      text: t(
        'Какое из следующих утверждений, на Ваш взгляд, наиболее точно отражает разницу между учебно-методической и научно-методической работой?',
        'Сіздің ойыңызша, төмендегі тұжырымдардың қайсысы оқу-әдістемелік және ғылыми-әдістемелік жұмыс арасындағы айырмашылықты барынша дәл көрсетеді?',
        'Which of the following statements, in your view, most accurately reflects the difference between educational-methodological and scientific-methodological work?',
      ),
      options: [
        opt('synonyms', 'Это синонимы.', 'Бұлар — синонимдер.', 'They are synonyms.'),
        opt(
          'practice-theory',
          'Учебно-методическая работа – это практическая деятельность педагога, а научно-методическая – теоретическая.',
          'Оқу-әдістемелік жұмыс — педагогтің практикалық қызметі, ал ғылыми-әдістемелік жұмыс — теориялық қызмет.',
          'Educational-methodological work is the teacher’s practical activity, and scientific-methodological work is theoretical.',
        ),
        opt(
          'deeper',
          'Научно-методическая работа является более глубоким уровнем, включающим в себя исследование и анализ.',
          'Ғылыми-әдістемелік жұмыс — зерттеу мен талдауды қамтитын неғұрлым терең деңгей.',
          'Scientific-methodological work is a deeper level that includes research and analysis.',
        ),
        opt('other', 'Другое (укажите)', 'Басқа (көрсетіңіз)', 'Other (please specify)'),
      ],
    },
    {
      id: 'research',
      part: 3,
      kind: 'single',
      text: t(
        'Участвовали ли Вы в каких-либо научно-исследовательских проектах?',
        'Қандай да бір ғылыми-зерттеу жобаларына қатыстыңыз ба?',
        'Have you taken part in any research projects?',
      ),
      options: [YES, NO, opt('which', 'Если да, то в каких?', 'Иә болса, қандай жобаларға?', 'If yes, which ones?')],
    },
    {
      id: 'published',
      part: 3,
      kind: 'single',
      text: t(
        'Публиковали ли Вы свои методические разработки?',
        'Өзіңіздің әдістемелік әзірлемелеріңізді жарияладыңыз ба?',
        'Have you published your own teaching materials?',
      ),
      options: [YES, NO, opt('where', 'Если да, то где?', 'Иә болса, қайда?', 'If yes, where?')],
    },
    {
      id: 'difficulties',
      part: 3,
      kind: 'text',
      text: t(
        'Какие трудности Вы испытываете при выполнении научно-методической работы?',
        'Ғылыми-әдістемелік жұмысты орындау кезінде қандай қиындықтарға тап боласыз?',
        'What difficulties do you face in carrying out scientific-methodological work?',
      ),
      options: [],
    },
    {
      id: 'importance',
      part: 4,
      kind: 'single',
      text: t(
        'Насколько важна, по Вашему мнению, научно-методическая работа для повышения качества образования?',
        'Сіздің пікіріңізше, білім беру сапасын арттыру үшін ғылыми-әдістемелік жұмыс қаншалықты маңызды?',
        'In your opinion, how important is scientific-methodological work for improving the quality of education?',
      ),
      options: [
        opt('very', 'Очень важна', 'Өте маңызды', 'Very important'),
        opt('important', 'Важна', 'Маңызды', 'Important'),
        opt('rather', 'Скорее важна, чем не важна', 'Маңызды емес дегеннен гөрі маңызды', 'More important than not'),
        opt('not-very', 'Не очень важна', 'Онша маңызды емес', 'Not very important'),
        opt('not', 'Не важна', 'Маңызды емес', 'Not important'),
      ],
    },
    {
      id: 'resources',
      part: 4,
      kind: 'single',
      text: t(
        'Как Вы считаете, достаточно ли времени и ресурсов выделяется на научно-методическую работу в Вашей школе?',
        'Сіздің ойыңызша, мектебіңізде ғылыми-әдістемелік жұмысқа жеткілікті уақыт пен ресурс бөлінеді ме?',
        'Do you think enough time and resources are given to scientific-methodological work in your school?',
      ),
      options: [
        opt('fully', 'Да, вполне достаточно', 'Иә, толығымен жеткілікті', 'Yes, fully sufficient'),
        opt('enough', 'Достаточно', 'Жеткілікті', 'Sufficient'),
        opt('not-enough', 'Недостаточно', 'Жеткіліксіз', 'Insufficient'),
        opt('none', 'Совсем недостаточно', 'Мүлдем жеткіліксіз', 'Entirely insufficient'),
      ],
    },
    {
      id: 'effective-forms',
      part: 5,
      kind: 'text',
      text: t(
        'Какие формы научно-методической работы, на Ваш взгляд, наиболее эффективны?',
        'Сіздің ойыңызша, ғылыми-әдістемелік жұмыстың қандай түрлері ең тиімді?',
        'Which forms of scientific-methodological work do you consider the most effective?',
      ),
      options: [],
    },
    {
      id: 'obstacles',
      part: 5,
      kind: 'text',
      text: t(
        'Какие препятствия мешают Вам активно участвовать в научно-методической работе?',
        'Ғылыми-әдістемелік жұмысқа белсенді қатысуыңызға қандай кедергілер бөгет болады?',
        'What obstacles prevent you from taking an active part in scientific-methodological work?',
      ),
      options: [],
    },
  ],
};

/** The ballot id of a question. */
export const questionnaireBallotId = (questionId: string): string => `q-${questionId}`;

/**
 * The questionnaire as ballot specs in one language: `single` for the closed
 * questions, `text` for the open ones; anonymous by default, results hidden
 * until the reveal. Titles carry the question number ("3. …").
 */
export function questionnaireBallots(
  locale: Locale,
  opts: { privacy?: BallotSpec['privacy']; visibility?: BallotSpec['visibility'] } = {},
): BallotSpec[] {
  return QUESTIONNAIRE.questions.map((q, i) => ({
    id: questionnaireBallotId(q.id),
    kind: q.kind,
    title: `${i + 1}. ${q.text[locale]}`,
    options: q.options.map((o) => ({ id: o.id, label: o.label[locale] })),
    privacy: opts.privacy ?? 'anonymous',
    visibility: opts.visibility ?? 'hidden',
  }));
}

/** Self-rating criteria (a `rating` ballot, one grade per criterion). */
export const SELF_RATING_CRITERIA: QuestionnaireOption[] = [
  opt('planning', 'Планирование урока', 'Сабақты жоспарлау', 'Lesson planning'),
  opt('afl', 'Оценивание для обучения', 'Оқыту үшін бағалау', 'Assessment for learning'),
  opt('differentiation', 'Дифференциация обучения', 'Оқытуды саралау', 'Differentiation'),
  opt('reflection', 'Рефлексия собственной практики', 'Өз тәжірибесіне рефлексия', 'Reflection on one’s own practice'),
  opt('collaboration', 'Сотрудничество с коллегами', 'Әріптестермен ынтымақтастық', 'Collaboration with colleagues'),
  opt('research', 'Исследование в действии', 'Іс-әрекеттегі зерттеу', 'Action research'),
];

export const SELF_RATING_TITLE: Trilingual = t(
  'Самооценка: оцените себя по каждому критерию (1 — начинаю, 5 — могу поделиться опытом)',
  'Өзін-өзі бағалау: әр критерий бойынша өзіңізді бағалаңыз (1 — бастап жүрмін, 5 — тәжірибеммен бөлісе аламын)',
  'Self-assessment: rate yourself on each criterion (1 — beginning, 5 — can share my experience)',
);

/** The self-rating questionnaire as one `rating` ballot on a 1–5 scale. */
export function selfRatingBallot(locale: Locale): BallotSpec {
  return {
    id: 'self-rating',
    kind: 'rating',
    title: SELF_RATING_TITLE[locale],
    options: SELF_RATING_CRITERIA.map((o) => ({ id: o.id, label: o.label[locale] })),
    scale: { min: 1, max: 5 },
    privacy: 'anonymous',
    visibility: 'hidden',
  };
}
