import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ready, useBrowserRig } from '../helpers/browser.js';

const rig = useBrowserRig({ acceptDownloads: true });

const PASSWORD = 'council-password-1';
const CHAIR = 'Ахметова Г. С.';
const SECRETARY = 'Сейітова А. Б.';
const EXPERT = 'Омаров Е. К.';
const ABSENT = 'Ким Н. В.';
const DECISION = 'Провести открытые уроки по функциональной грамотности в 7-х классах.';
const DECISION_2 = 'Әдістемелік апталықты сәуір айында өткізу.';

/** `YYYY-MM-DD`, `days` from today. */
const dayFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

/** Fill the registration form shown on the page and submit it. */
async function register(page: Page, login: string, name: string): Promise<void> {
  await page.getByLabel('Login').fill(login);
  await page.getByLabel('Full name').fill(name);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Register', exact: true }).click();
}

async function pdfText(page: Page, link: string): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: link }).click()]);
  expect(download.suggestedFilename()).toMatch(/\.pdf$/);
  const path = (await download.path())!;
  expect(readFileSync(path).subarray(0, 5).toString()).toBe('%PDF-');
  // Lines wrap wherever the page ends: compare the words, not the layout.
  return execFileSync('pdftotext', ['-enc', 'UTF-8', path, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
}

const mark = (page: Page, name: string, label: string, status: string) =>
  page.getByRole('radiogroup', { name: `${label}: ${name}` }).getByLabel(status, { exact: true }).check();

describe('a council meeting in the methodical cabinet', () => {
  let owner: Page;
  let secretary: Page;
  let expert: Page;
  let wsUrl = '';
  let councilUrl = '';
  let meetingUrl = '';
  let sessionCode = '';

  it('a methodologist registers and creates a workspace; the start page still begins with the no-account session', async () => {
    owner = await rig.page();
    await owner.goto(`${rig.server.url}/?lang=en`);
    await ready(owner);
    // The session form comes first; the cabinet is a separate entry below it.
    await expect.poll(() => owner.getByRole('button', { name: 'Create session' }).isVisible()).toBe(true);
    await owner.getByRole('link', { name: 'Sign in or register' }).click();
    await owner.waitForURL(/\/account/);
    await ready(owner);
    await owner.getByRole('button', { name: 'I am new here' }).click();
    await register(owner, 'metodist', CHAIR);
    await owner.waitForURL(/\/w$/);
    await ready(owner);
    await expect.poll(() => owner.getByText(`Signed in as ${CHAIR}`).isVisible()).toBe(true);

    await owner.getByLabel('Name', { exact: true }).fill('Городской методический кабинет');
    await owner.getByLabel('Organisation').fill('Отдел образования города Павлодара');
    await owner.getByLabel('Usual meeting place').fill('Павлодар, ул. Ленина, 10');
    await owner.getByLabel('Language of protocols').selectOption('ru');
    await owner.getByRole('button', { name: 'Create workspace' }).click();
    await owner.waitForURL(/\/w\/[^/]+$/);
    await ready(owner);
    wsUrl = owner.url().replace(/#.*$/, '');
    await expect.poll(() => owner.getByRole('heading', { name: 'Городской методический кабинет' }).isVisible()).toBe(true);
  });

  it('runs a session of the workspace and opens its console again from the dashboard', async () => {
    await owner.getByRole('tab', { name: 'Sessions' }).click();
    await owner.getByLabel('Session title').fill('Семинар по функциональной грамотности');
    await owner.getByRole('button', { name: 'Create session' }).click();
    await owner.waitForURL(/\/s\/[A-Z0-9]{6}\/facilitate/);
    await ready(owner);
    const code = /\/s\/([A-Z0-9]{6})\//.exec(owner.url())![1]!;
    sessionCode = code;
    // This browser forgets the facilitator link; the workspace hands out a new one.
    await owner.evaluate(() => localStorage.clear());
    await owner.goto(`${wsUrl}#sessions`);
    await ready(owner);
    await expect.poll(() => owner.getByText(code).isVisible()).toBe(true);
    await owner.getByRole('button', { name: 'Open the console of “Семинар по функциональной грамотности”' }).click();
    await owner.waitForURL(new RegExp(`/s/${code}/facilitate`));
    await ready(owner);
    await expect.poll(() => owner.getByRole('button', { name: 'Next stage' }).isVisible()).toBe(true);
    await owner.goto(wsUrl);
    await ready(owner);
  });

  it('invites a secretary and two experts by links; each registers through the link in their own browser and accepts', async () => {
    await owner.getByRole('tab', { name: 'Members and invitations' }).click();
    const makeLink = async (role: string, uses: number): Promise<string> => {
      await owner.getByLabel('Role', { exact: true }).selectOption({ label: role });
      await owner.getByLabel('How many people may use it').fill(String(uses));
      await owner.getByRole('button', { name: 'Make an invitation link' }).click();
      const field = owner.getByLabel(`Invitation link (${role})`);
      await expect.poll(() => field.inputValue()).toMatch(/\/invite\/\S+$/);
      return `${rig.server.url}${new URL(await field.inputValue()).pathname}?lang=en`;
    };
    const secretaryLink = await makeLink('Teacher', 1);
    const expertLink = await makeLink('Expert', 2);

    const join = async (link: string, login: string, name: string): Promise<Page> => {
      const page = await rig.page();
      await page.goto(link);
      await ready(page);
      await expect.poll(() => page.getByText('You are invited to “Городской методический кабинет”').isVisible()).toBe(true);
      await register(page, login, name);
      await page.getByRole('button', { name: 'Accept the invitation' }).click();
      await page.waitForURL(/\/w\/[^/]+(#.*)?$/);
      await ready(page);
      await expect.poll(() => page.getByRole('heading', { name: 'Городской методический кабинет' }).isVisible()).toBe(true);
      return page;
    };
    secretary = await join(secretaryLink, 'seitova', SECRETARY);
    expert = await join(expertLink, 'omarov', EXPERT);
    await join(expertLink, 'kim', ABSENT);

    await owner.reload();
    await ready(owner);
    await owner.getByRole('tab', { name: 'Members and invitations' }).click();
    for (const name of [CHAIR, SECRETARY, EXPERT, ABSENT]) await expect.poll(() => owner.getByText(name, { exact: false }).first().isVisible()).toBe(true);
    await expect.poll(() => owner.getByRole('combobox', { name: `Role of ${EXPERT}` }).inputValue()).toBe('expert');
    await expect.poll(() => owner.getByRole('combobox', { name: `Role of ${SECRETARY}` }).inputValue()).toBe('teacher');
    await expect.poll(() => owner.getByText('used 2 of 2').isVisible()).toBe(true);
  });

  it('a signed-in teacher joins the session as their account and is told so', async () => {
    await expert.goto(`${rig.server.url}/join/${sessionCode}?lang=en`);
    await ready(expert);
    await expect.poll(() => expert.getByText(`You are signed in as ${EXPERT}: this session will be kept in your account.`).isVisible()).toBe(true);
    await expect.poll(() => expert.getByLabel('Your name').inputValue()).toBe(EXPERT);
    await expert.getByRole('button', { name: 'Join' }).click();
    await expect.poll(() => expert.getByText(EXPERT).first().isVisible()).toBe(true);
    const joined = await expert.evaluate(async () => (await (await fetch('/api/me/participation')).json()) as { code: string }[]);
    expect(joined.map((p) => p.code)).toEqual([sessionCode]);
  });

  it('creates a council with its chair, secretary and members and a majority quorum', async () => {
    await owner.getByRole('tab', { name: 'Councils' }).click();
    await owner.getByLabel('Name', { exact: true }).fill('Методический совет учителей математики');
    await owner.getByLabel('Chair').selectOption({ label: CHAIR });
    await owner.getByLabel('Secretary').selectOption({ label: SECRETARY });
    for (const name of [EXPERT, ABSENT]) await owner.getByRole('checkbox', { name }).check();
    await expect.poll(() => owner.getByRole('checkbox', { name: SECRETARY }).isChecked()).toBe(true);
    await owner.getByLabel('Quorum rule').selectOption('majority');
    await owner.getByRole('button', { name: 'Create council' }).click();
    await owner.waitForURL(/\/councils\//);
    await ready(owner);
    councilUrl = owner.url();
    await expect.poll(() => owner.getByText('members: 4').isVisible()).toBe(true);
    await expect.poll(() => owner.getByText('more than half of the members').isVisible()).toBe(true);
  });

  it('the secretary creates meeting No. 1 and runs it in Russian: attendance with the quorum, the report', async () => {
    await secretary.goto(councilUrl);
    await ready(secretary);
    await secretary.getByRole('button', { name: 'Русский' }).click();
    await secretary.getByLabel('Вопрос 1', { exact: true }).fill('Об итогах районной олимпиады по математике');
    await secretary.getByLabel('Докладчик по вопросу 1').fill(`${EXPERT}, руководитель МО`);
    await secretary.getByRole('button', { name: 'Создать заседание' }).click();
    await secretary.waitForURL(/\/meetings\//);
    await ready(secretary);
    meetingUrl = secretary.url();
    await expect.poll(() => secretary.getByRole('heading', { level: 1 }).textContent()).toContain('Заседание № 1');

    await secretary.getByRole('button', { name: 'Открыть заседание' }).click();
    await expect.poll(() => secretary.getByText('идёт').first().isVisible()).toBe(true);
    await expect.poll(() => secretary.getByRole('status').filter({ hasText: 'Кворум' }).textContent()).toContain('0 из 4');
    await mark(secretary, CHAIR, 'Присутствие', 'присутствует');
    await mark(secretary, SECRETARY, 'Присутствие', 'присутствует');
    await mark(secretary, EXPERT, 'Присутствие', 'присутствует');
    await mark(secretary, ABSENT, 'Присутствие', 'отсутствует');
    const quorum = secretary.getByRole('status').filter({ hasText: 'Кворум' });
    await expect.poll(() => quorum.textContent()).toContain('3 из 4');
    await expect.poll(() => quorum.textContent()).toContain('имеется; нужно 3');

    const heard = secretary.getByLabel('СЛУШАЛИ: краткое содержание доклада');
    await heard.fill('В олимпиаде приняли участие 48 учащихся, призовые места заняли 9.');
    await heard.blur();
    await expect.poll(() => secretary.getByText('Ещё не сохранено').count()).toBe(0);
  });

  it('a member asks for the floor from their own browser; the secretary sees the queue, gives the floor and ends it', async () => {
    // The member follows on a phone: nothing may need sideways scrolling.
    await expert.setViewportSize({ width: 360, height: 740 });
    await expert.goto(meetingUrl);
    await ready(expert);
    await expert.getByRole('button', { name: 'Русский' }).click();
    await expect.poll(() => expert.getByRole('status').filter({ hasText: 'Кворум' }).textContent()).toContain('3 из 4');
    await expert.getByRole('button', { name: 'Попросить слово' }).click();
    await expect.poll(() => expert.getByText('Вы в очереди: номер 1.').isVisible()).toBe(true);
    expect(await expert.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

    // The secretary's page learns it by polling, without a reload.
    const give = secretary.getByRole('button', { name: `Дать слово: ${EXPERT}` });
    await expect.poll(() => give.isVisible(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => secretary.getByText('Очередь (1)').isVisible()).toBe(true);
    await give.click();
    await expect.poll(() => secretary.getByText(`Выступает: ${EXPERT}`).isVisible()).toBe(true);
    // The speaking time runs on the member's screen too.
    await expect.poll(() => expert.getByText(`Выступает: ${EXPERT}`).isVisible(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => secretary.getByLabel('Время выступления').textContent(), { timeout: 5_000 }).toMatch(/^0:0[1-9]$/);
    await secretary.getByRole('button', { name: 'Завершить выступление' }).click();
    await expect.poll(() => secretary.getByText(`Выступает: ${EXPERT}`).count()).toBe(0);
    const summary = secretary.getByLabel(`О чём говорил(а) ${EXPERT}`);
    await summary.fill('Предложил провести серию открытых уроков.');
    await summary.blur();
    await expect.poll(() => secretary.getByText('Ещё не сохранено').count()).toBe(0);
  });

  it('records a decision with a responsible member, a deadline and a vote, and closes the meeting', async () => {
    await secretary.getByLabel('Решение', { exact: true }).fill(DECISION);
    await secretary.getByLabel('Ответственный').selectOption({ label: EXPERT });
    await secretary.getByLabel('Срок').fill(dayFromNow(60));
    await secretary.getByLabel('Сразу записать голосование').check();
    await secretary.getByLabel('За', { exact: true }).fill('2');
    await secretary.getByLabel('Против', { exact: true }).fill('0');
    await secretary.getByLabel('Воздержались', { exact: true }).fill('1');
    await secretary.getByRole('button', { name: 'Записать решение' }).click();
    await expect.poll(() => secretary.getByText('за — 2, против — 0, воздержались — 1').isVisible()).toBe(true);
    await expect.poll(() => secretary.getByText(DECISION).isVisible()).toBe(true);

    await secretary.getByRole('button', { name: 'Закрыть заседание' }).click();
    await expect.poll(() => secretary.getByText('Заседание закрыто: протокол окончательный.', { exact: false }).isVisible()).toBe(true);
    // Closed means final: the member can no longer ask for the floor.
    await expect.poll(() => expert.getByRole('button', { name: 'Попросить слово' }).count(), { timeout: 10_000 }).toBe(0);
  });

  it('downloads protocol No. 1 as a PDF in Russian with every section, the vote and the signature lines', async () => {
    await secretary.getByLabel('Язык протокола').selectOption('ru');
    const text = await pdfText(secretary, 'Скачать PDF');
    expect(text).toContain('ПРОТОКОЛ № 1');
    expect(text).toContain('Методический совет учителей математики');
    expect(text).toContain('СЛУШАЛИ');
    expect(text).toContain('48 учащихся');
    expect(text).toContain('ВЫСТУПИЛИ');
    expect(text).toContain(EXPERT);
    expect(text).toContain('ПОСТАНОВИЛИ');
    expect(text).toContain('Голосовали: за — 2, против — 0, воздержались — 1.');
    expect(text).toContain('Ответственный: Омаров Е. К.');
    expect(text).toContain('Присутствовали: 3 из 4');
    expect(text).toContain('Председатель ____________ / Ахметова Г. С. /');
    expect(text).toContain('Секретарь ____________ / Сейітова А. Б. /');
  });

  it('meeting No. 2 runs in Kazakh and starts with the review of the open decision', async () => {
    await secretary.goto(councilUrl);
    await ready(secretary);
    await secretary.getByRole('button', { name: 'Қазақша' }).click();
    const review = secretary.getByLabel('«Бұрын қабылданған шешімдердің орындалу барысы туралы» мәселесінен бастау');
    await expect.poll(() => review.isChecked()).toBe(true);
    await secretary.getByLabel('1-мәселе', { exact: true }).fill('Әдістемелік апталық туралы');
    await secretary.getByRole('button', { name: 'Отырыс құру' }).click();
    await secretary.waitForURL(/\/meetings\//);
    await ready(secretary);
    expect(secretary.url()).not.toBe(meetingUrl);
    await expect.poll(() => secretary.getByRole('heading', { level: 1 }).textContent()).toContain('№ 2 отырыс');
    await expect.poll(() => secretary.getByRole('article').first().getByRole('heading', { level: 3 }).textContent()).toBe('1. Бұрын қабылданған шешімдердің орындалу барысы туралы');
    const reviewed = secretary.getByRole('region', { name: 'Бақылаудағы шешімдер' });
    await expect.poll(() => reviewed.textContent()).toContain(DECISION);
    await expect.poll(() => reviewed.textContent()).toContain('орындалуда');
    await expect.poll(() => reviewed.textContent()).toContain(EXPERT);

    await secretary.getByRole('button', { name: 'Отырысты ашу' }).click();
    for (const name of [CHAIR, SECRETARY, EXPERT]) await mark(secretary, name, 'Қатысуы', 'қатысты');
    await expect.poll(() => secretary.getByRole('status').filter({ hasText: 'Кворум' }).textContent()).toContain('4 ішінен 3');

    const item = secretary.getByRole('article', { name: '2. Әдістемелік апталық туралы' });
    await item.getByLabel('Шешім', { exact: true }).fill(DECISION_2);
    await item.getByLabel('Жауапты', { exact: true }).selectOption({ label: SECRETARY });
    await item.getByRole('button', { name: 'Шешімді жазу' }).click();
    await expect.poll(() => item.getByText(DECISION_2).isVisible()).toBe(true);
    await item.getByRole('button', { name: 'Бірауыздан' }).click();
    await expect.poll(() => item.getByText('жақтады — 3, қарсы — 0, қалыс қалды — 0').isVisible()).toBe(true);
    await secretary.getByRole('button', { name: 'Отырысты жабу' }).click();
    await expect.poll(() => secretary.getByText('Отырыс жабылды', { exact: false }).isVisible()).toBe(true);

    await secretary.getByLabel('Хаттаманың тілі').selectOption('kk');
    const text = await pdfText(secretary, 'PDF жүктеп алу');
    expect(text).toContain('№ 2 ХАТТАМА');
    expect(text).toContain('ТЫҢДАЛДЫ');
    expect(text).toContain('ҚАУЛЫ ЕТТІ');
    expect(text).toContain('КҮН ТӘРТІБІ');
    expect(text).toContain('Бұрын қабылданған шешімдердің орындалу барысы туралы');
    // The review lists the open decision of protocol No. 1 with its responsible person.
    expect(text).toContain(DECISION);
    expect(text).toMatch(/№ 1 Омаров Е\. К\. \d{2}\.\d{2}\.\d{4} орындалуда/);
    expect(text).toContain(DECISION_2);
    expect(text).toContain('Дауыс берді: бірауыздан.');
    expect(text).toContain('Төраға ____________ / Ахметова Г. С. /');
    expect(text).toContain('Хатшы ____________ / Сейітова А. Б. /');
  });

  it('the decision register lists both decisions, filters them, and the responsible member marks theirs done', async () => {
    await owner.goto(`${wsUrl}/decisions`);
    await ready(owner);
    await expect.poll(() => owner.getByText('Decisions shown: 2').isVisible()).toBe(true);
    await owner.getByLabel('Responsible', { exact: true }).selectOption({ label: EXPERT });
    await owner.getByRole('button', { name: 'Show', exact: true }).click();
    await expect.poll(() => owner.getByText('Decisions shown: 1').isVisible()).toBe(true);

    await expert.goto(`${wsUrl}/decisions`);
    await ready(expert);
    await expert.getByRole('button', { name: 'English' }).click();
    await expert.getByRole('button', { name: /^Mark as done: Провести открытые уроки/ }).click();
    await expert.getByLabel('How it was carried out').fill('Проведено 4 открытых урока.');
    await expert.getByRole('button', { name: 'Mark as done', exact: true }).click();
    await expect.poll(() => expert.getByText('Проведено 4 открытых урока.').isVisible()).toBe(true);
    const entry = expert.getByRole('listitem').filter({ hasText: 'Провести открытые уроки' });
    await expect.poll(() => entry.locator('strong.status').textContent()).toBe('done');
    // Nobody but whoever runs the council marks the other one.
    expect(await expert.getByRole('button', { name: /^Mark as done: Әдістемелік/ }).count()).toBe(0);

    await owner.getByLabel('Status').selectOption('done');
    await owner.getByLabel('Responsible', { exact: true }).selectOption('');
    await owner.getByRole('button', { name: 'Show', exact: true }).click();
    await expect.poll(() => owner.getByText('Decisions shown: 1').isVisible()).toBe(true);
    const [download] = await Promise.all([owner.waitForEvent('download'), owner.getByRole('link', { name: 'Download CSV' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toContain('Провести открытые уроки');
    expect(csv).not.toContain(DECISION_2);
  });
});
