import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Download, Page } from 'playwright-core';
import { ready, useBrowserRig } from '../helpers/browser.js';
import { newFacilitator, newTeacher, type Facilitator } from '../helpers/people.js';

/** Every letter of the Kazakh alphabet that Russian lacks: the minutes must carry them in every format. */
const KAZAKH = 'Ә ә Ғ ғ Қ қ Ң ң Ө ө Ұ ұ Ү ү Һ һ І і';
const ORGANISATION = `Қостанай облысы, №8 мектеп-гимназия — ${KAZAKH}`;
const DECISION = 'Үлгі сабақтарды өзара қатысу арқылы өткізу';

const rig = useBrowserRig();

async function downloadOf(page: Page, button: string): Promise<Download> {
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button, exact: true }).click()]);
  return download;
}

describe('the minutes, from the console', () => {
  let fac: Facilitator;
  let console: Page;

  it('keeps the organisation, place, number, summary and decisions the facilitator types', async () => {
    fac = await newFacilitator(rig.server.url, { title: 'Әдістемелік кеңес', locale: 'kk', facilitator: 'Айгүл Сейітқызы' });
    await newTeacher(rig.server.url, fac.created.code, 'Ғалия Құрманова');
    console = await rig.page();
    await console.goto(`${rig.server.url}/s/${fac.created.code}/facilitate?lang=en#token=${fac.created.facilitatorToken}`);
    await ready(console);
    await console.getByLabel('Organisation').fill(ORGANISATION);
    await console.getByLabel('Place').fill('Қостанай');
    await console.getByLabel('Protocol number').fill('3');
    await console.getByLabel('Summary').fill('Мұғалімдер кейс-әдісті талқылады.');
    await console.getByLabel('Decisions, one per line').fill(`${DECISION}\nӘдістемелік бірлестікте тәжірибе алмасу`);
    await console.getByRole('button', { name: 'Save minutes details' }).click();
    await expect.poll(() => fac.client.state?.protocol.organisation).toBe(ORGANISATION);
    expect(fac.client.state?.protocol.decisions).toEqual([DECISION, 'Әдістемелік бірлестікте тәжірибе алмасу']);
    await console.reload();
    await ready(console);
    await expect.poll(() => console.getByLabel('Organisation').inputValue()).toBe(ORGANISATION);
  });

  it('downloads a Word document that holds them', async () => {
    const download = await downloadOf(console, 'Word (DOCX)');
    expect(download.suggestedFilename()).toBe(`minutes-${fac.created.code}.docx`);
    const xml = execFileSync('unzip', ['-p', (await download.path())!, 'word/document.xml'], { encoding: 'utf8' });
    expect(xml).toContain('Қостанай облысы');
    expect(xml).toContain(DECISION);
    expect(xml).toContain('Ғалия Құрманова');
  });

  it('downloads a PDF whose text reads back with every Kazakh letter', async () => {
    const download = await downloadOf(console, 'PDF');
    expect(download.suggestedFilename()).toBe(`minutes-${fac.created.code}.pdf`);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', (await download.path())!, '-'], { encoding: 'utf8' });
    for (const letter of KAZAKH.split(' ')) expect(text).toContain(letter);
    expect(text).toContain(DECISION);
  });

  it('downloads the Markdown, the results table and the full archive', async () => {
    const md = readFileSync((await (await downloadOf(console, 'Markdown')).path())!, 'utf8');
    expect(md).toContain(ORGANISATION);
    expect(md).toContain(DECISION);
    const csv = await downloadOf(console, 'Results (CSV)');
    expect(csv.suggestedFilename()).toBe(`results-${fac.created.code}.csv`);
    expect(readFileSync((await csv.path())!, 'utf8')).toMatch(/^\uFEFFballot,kind,round/);
    const archive = JSON.parse(readFileSync((await (await downloadOf(console, 'Full archive (JSON)')).path())!, 'utf8'));
    expect(JSON.stringify(archive)).toContain(ORGANISATION);
  });

  it('opens a print-ready page in a new tab', async () => {
    const [tab] = await Promise.all([console.context().waitForEvent('page'), console.getByRole('button', { name: 'Print' }).click()]);
    await tab.waitForLoadState();
    await expect.poll(() => tab.locator('body').innerText()).toContain(DECISION);
    expect(await tab.locator('html').getAttribute('lang')).toMatch(/^kk\b/);
    expect(await tab.locator('body').textContent()).toContain('Қостанай облысы');
  });
});
