import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { createSessionInBrowser, joinInBrowser, ready, useBrowserRig } from '../helpers/browser.js';

const rig = useBrowserRig();
let facilitator: Page;
let projector: Page;
let aigerim: Page;
let daniyar: Page;
let zhanna: Page;
let code = '';

const join = (name: string): Promise<Page> => joinInBrowser(rig, code, name);

/** Text as read on the screen: runs of white space between elements count as one space. */
const said = async (l: Locator) => (await l.innerText()).replace(/\s+/g, ' ').trim();
const row = (title: string) => facilitator.locator('[data-ballot-row]').filter({ hasText: title });
const question = (page: Page, label: string) => page.getByRole('group', { name: label, exact: true });

/** A teacher grades each question (1…5), with an optional reason per question, and sends the answer. */
async function rate(page: Page, grades: Record<string, number>, reasons: Record<string, string> = {}): Promise<void> {
  for (const [label, grade] of Object.entries(grades)) {
    await question(page, label).getByRole('radio', { name: String(grade), exact: true }).check();
    if (reasons[label]) await question(page, label).getByLabel('Comment or reason for revision (optional)').fill(reasons[label]);
  }
  await page.getByRole('button', { name: 'Send answer' }).click();
  await expect.poll(() => page.getByText('Saved ✓').isVisible()).toBe(true);
}

const DELPHI = 'Priorities of the development programme';
const RESOURCES = 'Schools need resources first';
const LESSON_PLANS = 'Already part of every lesson plan';

describe('a Delphi ballot over two rounds', () => {
  it('starts a Delphi session with a projector and three experts', async () => {
    facilitator = await rig.page();
    code = await createSessionInBrowser(facilitator, rig.server.url, 'Delphi on the school programme', /^Delphi method/);
    await expect.poll(() => facilitator.getByRole('heading', { name: 'Ballots', exact: true }).isVisible()).toBe(true);
    projector = await rig.page();
    await projector.goto(`${rig.server.url}/s/${code}/screen?lang=en`);
    await ready(projector);
    aigerim = await join('Aigerim');
    daniyar = await join('Daniyar');
    zhanna = await join('Zhanna');
  });

  it('creates a Delphi rating in the console and opens round 1', async () => {
    await facilitator.getByLabel('Kind', { exact: true }).selectOption('rating');
    await facilitator.getByLabel('Question', { exact: true }).fill(DELPHI);
    await facilitator.getByLabel('Options, one per line').fill('Inclusion\nMentoring');
    await facilitator.getByLabel('Delphi (rounds with feedback)').check();
    await expect.poll(() => facilitator.getByLabel('Maximum rounds').inputValue()).toBe('3');
    await facilitator.getByRole('button', { name: 'Create ballot' }).click();
    await expect.poll(() => row(DELPHI).getByText('Draft', { exact: true }).isVisible()).toBe(true);
    await row(DELPHI).getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => row(DELPHI).getByText('Answers: 0').isVisible()).toBe(true);
    await expect.poll(() => projector.getByText('The ballot is open — answer on your device.').isVisible()).toBe(true);
    // Round 1 has nothing to look back on.
    await expect.poll(() => question(zhanna, 'Inclusion').isVisible()).toBe(true);
    expect(await zhanna.getByText('Your previous answer:').count()).toBe(0);
  });

  it('collects three divergent answers with reasons, closes round 1 and starts round 2', async () => {
    await rate(aigerim, { Inclusion: 1, Mentoring: 4 }, { Inclusion: RESOURCES });
    await rate(daniyar, { Inclusion: 3, Mentoring: 4 });
    await rate(zhanna, { Inclusion: 5, Mentoring: 5 }, { Inclusion: LESSON_PLANS });
    await expect.poll(() => row(DELPHI).getByText('Answers: 3').isVisible()).toBe(true);
    await row(DELPHI).getByRole('button', { name: 'Close', exact: true }).click();
    await expect.poll(() => row(DELPHI).getByText('Closed', { exact: true }).isVisible()).toBe(true);
    await expect.poll(() => daniyar.getByText('This ballot is closed.').isVisible()).toBe(true);
    // Inclusion is split (IQR 2 > 1): another round is allowed.
    await row(DELPHI).getByRole('button', { name: 'New round' }).click();
    await expect.poll(() => row(DELPHI).getByText('round 2', { exact: true }).isVisible()).toBe(true);
    await expect.poll(() => row(DELPHI).getByText('Answers: 0').isVisible()).toBe(true);
  });

  it('shows each expert their own previous grade beside the group median and IQR, and the comments without names', async () => {
    const mine = { aigerim: 1, daniyar: 3, zhanna: 5 };
    for (const [page, grade] of [[aigerim, mine.aigerim], [daniyar, mine.daniyar], [zhanna, mine.zhanna]] as const) {
      const line = `Your previous answer: ${grade} · Group median: 3 · IQR: 2`;
      await expect.poll(() => question(page, 'Inclusion').getByText(line, { exact: true }).isVisible()).toBe(true);
    }
    await expect.poll(() => question(zhanna, 'Mentoring').getByText('Your previous answer: 5 · Group median: 4 · IQR: 0.5').isVisible()).toBe(true);
    // The grades are cleared for the new round.
    expect(await question(aigerim, 'Inclusion').getByRole('radio', { checked: true }).count()).toBe(0);

    const inclusion = question(daniyar, 'Inclusion');
    await inclusion.getByText('Experts’ comments (2)').click();
    // Sorted, never signed: the order tells nothing about who wrote which.
    await expect.poll(() => inclusion.getByRole('listitem').allTextContents()).toEqual([LESSON_PLANS, RESOURCES]);
    expect(await inclusion.getByText('Aigerim').count()).toBe(0);
    expect(await question(daniyar, 'Mentoring').getByText(/Experts’ comments/).count()).toBe(0);
  });

  it('after round 2 the projector shows consensus and stability per question, and a third round is refused', async () => {
    await rate(aigerim, { Inclusion: 3, Mentoring: 4 });
    await rate(daniyar, { Inclusion: 3, Mentoring: 4 });
    await rate(zhanna, { Inclusion: 4, Mentoring: 5 });
    await expect.poll(() => row(DELPHI).getByText('Answers: 3').isVisible()).toBe(true);
    await row(DELPHI).getByRole('button', { name: 'Close', exact: true }).click();
    await row(DELPHI).getByRole('button', { name: 'Reveal results' }).click();
    await expect.poll(() => row(DELPHI).getByText('Results revealed').isVisible()).toBe(true);

    const results = projector.locator('[data-ballot-results]');
    await expect.poll(() => results.getByText('Delphi: round 2 of 3 · IQR ≤ 1').isVisible()).toBe(true);
    await expect.poll(() => results.getByText('Voters: 3').isVisible()).toBe(true);
    // Inclusion: IQR 2 → 0.5, consensus now but the spread moved too much to call it stable; Mentoring held.
    await expect.poll(() => said(results.getByRole('listitem').filter({ hasText: 'Inclusion' }))).toBe('Inclusion consensus not stable');
    await expect.poll(() => said(results.getByRole('listitem').filter({ hasText: 'Mentoring' }))).toBe('Mentoring consensus stable');
    // The console shows the same, and the round-1 results stay at hand.
    const now = row(DELPHI).locator('[data-ballot-results]').first();
    await expect.poll(() => said(now.getByRole('listitem').filter({ hasText: 'Inclusion' }))).toBe('Inclusion consensus not stable');
    await expect.poll(() => row(DELPHI).getByText('Results of round 1').isVisible()).toBe(true);

    await row(DELPHI).getByRole('button', { name: 'New round' }).click();
    await expect
      .poll(() => facilitator.getByRole('alert').filter({ hasText: 'Delphi: every question has reached consensus; no further round is needed.' }).isVisible())
      .toBe(true);
    expect(await row(DELPHI).getByText('round 3').count()).toBe(0);
  });
});

const NGT = 'Which idea shall the school try first?';
const IDEAS = ['Peer visits', 'Lesson study', 'Mentoring pairs', 'Open lessons', 'Reading club', 'Parents’ day'];
const TURN = 'Your turn: share one idea.';
const handle = (page: Page, option: string, place: number) => page.getByRole('button', { name: `${option}, place ${place} of 6`, exact: true });

describe('a nominal group technique ballot', () => {
  it('creates an NGT ranking of six ideas and opens it', async () => {
    await facilitator.getByLabel('Kind', { exact: true }).selectOption('ranking');
    await facilitator.getByLabel('Question', { exact: true }).fill(NGT);
    await facilitator.getByLabel('Options, one per line').fill(IDEAS.join('\n'));
    await facilitator.getByLabel('Nominal group technique (top five, 5…1 points)').check();
    await facilitator.getByRole('button', { name: 'Create ballot' }).click();
    await row(NGT).getByRole('button', { name: 'Open', exact: true }).click();
    for (const page of [aigerim, daniyar, zhanna]) {
      await expect.poll(() => page.getByText('Put your top 5 first: only they score (5…1 points).').isVisible()).toBe(true);
    }
    await expect.poll(() => projector.getByText('The ballot is open — answer on your device.').isVisible()).toBe(true);
  });

  it('keeps the round-robin order on the server: the console moves it on and only the speaker is told it is their turn', async () => {
    const next = row(NGT).getByRole('button', { name: 'Next speaker' });
    await expect.poll(() => next.isDisabled()).toBe(true);
    await row(NGT).getByRole('button', { name: 'Start round-robin' }).click();
    const order: [string, Page][] = [['Aigerim', aigerim], ['Daniyar', daniyar], ['Zhanna', zhanna]];
    for (const [i, [name, speaker]] of order.entries()) {
      if (i > 0) await next.click();
      await expect.poll(() => row(NGT).getByText(`Speaking: ${name}`).isVisible()).toBe(true);
      await expect.poll(() => speaker.getByText(TURN).isVisible()).toBe(true);
      for (const [, other] of order.filter(([, p]) => p !== speaker)) await expect.poll(() => other.getByText(TURN).count()).toBe(0);
    }
    // Everyone has spoken: nobody's turn, and the button rests.
    await next.click();
    await expect.poll(() => row(NGT).getByText('Speaking:').count()).toBe(0);
    await expect.poll(() => next.isDisabled()).toBe(true);
    for (const [, page] of order) await expect.poll(() => page.getByText(TURN).count()).toBe(0);
  });

  it('takes each private top five and reveals the 5…1 totals on the projector', async () => {
    // Aigerim keeps the given order.
    await aigerim.getByRole('button', { name: 'Send answer' }).click();
    // Daniyar lifts Mentoring pairs to second place with its button.
    await daniyar.getByRole('button', { name: 'Move Mentoring pairs up' }).click();
    await expect.poll(() => handle(daniyar, 'Mentoring pairs', 2).isVisible()).toBe(true);
    await daniyar.getByRole('button', { name: 'Send answer' }).click();
    // Zhanna takes Parents’ day from the last place to the first with the Home key.
    await handle(zhanna, 'Parents’ day', 6).focus();
    await zhanna.keyboard.press('Home');
    await expect.poll(() => handle(zhanna, 'Parents’ day', 1).isVisible()).toBe(true);
    await zhanna.getByRole('button', { name: 'Send answer' }).click();
    for (const page of [aigerim, daniyar, zhanna]) await expect.poll(() => page.getByText('Saved ✓').isVisible()).toBe(true);

    await expect.poll(() => row(NGT).getByText('Answers: 3').isVisible()).toBe(true);
    // Hidden until revealed: the projector still asks for answers.
    expect(await projector.locator('[data-ballot-results]').count()).toBe(0);
    await row(NGT).getByRole('button', { name: 'Reveal results' }).click();

    const results = projector.locator('[data-ballot-results]');
    await expect.poll(() => results.getByText('Voters: 3').isVisible()).toBe(true);
    await expect.poll(() => results.getByRole('columnheader', { name: 'Points', exact: true }).isVisible()).toBe(true);
    await expect.poll(() => results.getByText(/^Nominal group technique: 5 points for a first place down to 1 for place 5/).isVisible()).toBe(true);
    // Peer visits 5+5+4, Lesson study 4+3+3, Mentoring pairs 3+4+2, Open lessons 2+2+1, Parents’ day 0+0+5, Reading club 1+1+0.
    const points = (id: string) => results.locator(`[data-borda="${id}"]`).textContent();
    const expected = { o1: '14', o2: '10', o3: '9', o4: '5', o6: '5', o5: '2' };
    for (const [id, total] of Object.entries(expected)) await expect.poll(() => points(id)).toBe(total);
    const rows = await results.locator('tbody tr').allTextContents();
    expect(rows[0]).toContain('Peer visits');
    expect(rows[5]).toContain('Reading club');
    // A clear winner: no revote is called.
    expect(await results.getByText(/^Split result/).count()).toBe(0);
  });
});

const PRIVATE = 'The group work ran out of time; next time I will cut the warm-up.';
const DANIYAR_NOTE = 'Peer visits worked well with the sixth grade.';

describe('the reflection diary', () => {
  it('keeps an entry private until the teacher shares it, then shows it to the facilitator', async () => {
    const shared = facilitator.getByRole('region', { name: 'Shared diary entries' });
    await expect.poll(() => shared.getByText('No teacher has shared an entry yet.').isVisible()).toBe(true);

    for (const page of [aigerim, daniyar]) {
      const open = page.getByRole('button', { name: 'Diary', exact: true });
      await open.click();
      await expect.poll(() => open.getAttribute('aria-pressed')).toBe('true');
      await expect.poll(() => page.getByRole('heading', { name: 'Reflection diary' }).isVisible()).toBe(true);
    }
    await aigerim.getByRole('radio', { name: 'Difficulty' }).check();
    await aigerim.getByLabel('Entry', { exact: true }).fill(PRIVATE);
    await aigerim.getByRole('button', { name: 'Add entry' }).click();
    await expect.poll(() => aigerim.getByText(PRIVATE).isVisible()).toBe(true);

    // Daniyar shares his own entry; once it reaches the console, Aigerim's private one has had every chance to.
    await daniyar.getByLabel('Entry', { exact: true }).fill(DANIYAR_NOTE);
    await daniyar.getByRole('button', { name: 'Add entry' }).click();
    await daniyar.getByRole('checkbox', { name: 'Share with the facilitator' }).check();
    await expect.poll(() => shared.getByText(DANIYAR_NOTE).isVisible()).toBe(true);
    expect(await facilitator.getByText(PRIVATE).count()).toBe(0);
    expect(await daniyar.getByText(PRIVATE).count()).toBe(0);

    await aigerim.getByRole('checkbox', { name: 'Share with the facilitator' }).check();
    await expect.poll(() => aigerim.getByText('shared with the facilitator').isVisible()).toBe(true);
    const entry = shared.getByRole('listitem').filter({ hasText: PRIVATE });
    await expect.poll(() => entry.isVisible()).toBe(true);
    await expect.poll(() => said(entry)).toBe(`Aigerim · Difficulty ${PRIVATE}`);
  });

  it('downloads the teacher’s own entries as a Markdown file', async () => {
    const [download] = await Promise.all([aigerim.waitForEvent('download'), aigerim.getByRole('button', { name: 'Download my entries' }).click()]);
    expect(download.suggestedFilename()).toBe(`diary-${code}.md`);
    const md = await readFile((await download.path())!, 'utf8');
    expect(md).toContain('# Reflection diary');
    expect(md).toContain('Delphi on the school programme — Aigerim');
    expect(md).toContain(PRIVATE);
    expect(md).toContain('Difficulty');
    expect(md).not.toContain(DANIYAR_NOTE);
  });
});
