import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createSessionInBrowser, joinInBrowser, ready, useBrowserRig } from '../helpers/browser.js';

const rig = useBrowserRig();
let facilitator: Page;
let projector: Page;
let aigerim: Page;
let daniyar: Page;
let code = '';

const join = (name: string): Promise<Page> => joinInBrowser(rig, code, name);

/** The ranking's handle names each option with its place, so it tells the order as a screen reader hears it. */
const handle = (page: Page, option: string, place: number) => page.getByRole('button', { name: `${option}, place ${place} of 3`, exact: true });

describe('a ranking ballot, by drag and by keyboard, revealed on the projector', () => {
  it('sets up a session with a projector and two teachers', async () => {
    facilitator = await rig.page();
    code = await createSessionInBrowser(facilitator, rig.server.url, 'Expert assessment of mentoring formats');
    await expect.poll(() => facilitator.getByRole('heading', { name: 'Ballots', exact: true }).isVisible()).toBe(true);

    projector = await rig.page();
    await projector.goto(`${rig.server.url}/s/${code}/screen?lang=en`);
    await ready(projector);

    aigerim = await join('Aigerim');
    daniyar = await join('Daniyar');
  });

  it('creates a ranking ballot of three options in the console and opens it', async () => {
    await facilitator.getByLabel('Kind', { exact: true }).selectOption('ranking');
    await facilitator.getByLabel('Question', { exact: true }).fill('Which format helps young teachers most?');
    await facilitator.getByLabel('Options, one per line').fill('Peer visits\nSuccess criteria\nMentoring');
    await facilitator.getByRole('button', { name: 'Create ballot' }).click();
    const row = facilitator.locator('[data-ballot-row]').first();
    await expect.poll(() => row.getByText('Draft', { exact: true }).isVisible()).toBe(true);
    await row.getByRole('button', { name: 'Open', exact: true }).click();
    await expect.poll(() => row.getByText('Answers: 0').isVisible()).toBe(true);
    for (const page of [aigerim, daniyar]) await expect.poll(() => handle(page, 'Peer visits', 1).isVisible()).toBe(true);
    await expect.poll(() => projector.getByText('The ballot is open — answer on your device.').isVisible()).toBe(true);
  });

  it('lets one teacher rank by dragging with the mouse', async () => {
    const from = (await aigerim.locator('[data-option="o3"] .label').boundingBox())!;
    const to = (await aigerim.locator('[data-option="o1"]').boundingBox())!;
    await aigerim.mouse.move(from.x + from.width / 2, from.y + from.height / 2);
    await aigerim.mouse.down();
    await aigerim.mouse.move(to.x + to.width / 2, to.y + 4, { steps: 12 });
    await aigerim.mouse.up();
    await expect.poll(() => handle(aigerim, 'Mentoring', 1).isVisible()).toBe(true);
    await expect.poll(() => handle(aigerim, 'Peer visits', 2).isVisible()).toBe(true);
    await expect.poll(() => handle(aigerim, 'Success criteria', 3).isVisible()).toBe(true);
    await expect.poll(() => aigerim.locator('[data-rank-announcement]').textContent()).toBe('Mentoring moved to place 1 of 3.');
    await aigerim.getByRole('button', { name: 'Send answer' }).click();
    await expect.poll(() => aigerim.getByText('Saved ✓').isVisible()).toBe(true);
  });

  it('lets another rank with the keyboard alone, hearing each move', async () => {
    await handle(daniyar, 'Success criteria', 2).focus();
    await daniyar.keyboard.press('ArrowUp');
    await expect.poll(() => daniyar.locator('[data-rank-announcement]').textContent()).toBe('Success criteria moved to place 1 of 3.');
    // Focus stays on the moved row's handle.
    await expect.poll(() => daniyar.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe('Success criteria, place 1 of 3');
    // Now: Success criteria, Peer visits, Mentoring. Tab to Mentoring's "up" button and press it.
    const up = daniyar.getByRole('button', { name: 'Move Mentoring up' });
    await up.focus();
    await daniyar.keyboard.press('Enter');
    await expect.poll(() => daniyar.locator('[data-rank-announcement]').textContent()).toBe('Mentoring moved to place 2 of 3.');
    await expect.poll(() => handle(daniyar, 'Success criteria', 1).isVisible()).toBe(true);
    await expect.poll(() => handle(daniyar, 'Mentoring', 2).isVisible()).toBe(true);
    await expect.poll(() => handle(daniyar, 'Peer visits', 3).isVisible()).toBe(true);
    await daniyar.getByRole('button', { name: 'Send answer' }).focus();
    await daniyar.keyboard.press('Enter');
    await expect.poll(() => daniyar.getByText('Saved ✓').isVisible()).toBe(true);
  });

  it('reveals the results, and the projector shows the Borda totals', async () => {
    const row = facilitator.locator('[data-ballot-row]').first();
    await expect.poll(() => row.getByText('Answers: 2').isVisible()).toBe(true);
    await row.getByRole('button', { name: 'Reveal results' }).click();
    await expect.poll(() => row.getByText('Results revealed').isVisible()).toBe(true);

    // Borda, 2…0 points: Mentoring 2 + 1 = 3, Success criteria 0 + 2 = 2, Peer visits 1 + 0 = 1.
    const results = projector.locator('[data-ballot-results]');
    await expect.poll(() => results.getByText('Voters: 2').isVisible()).toBe(true);
    await expect.poll(() => results.getByRole('columnheader', { name: 'Borda points' }).isVisible()).toBe(true);
    const borda = (id: string) => results.locator(`[data-borda="${id}"]`).textContent();
    await expect.poll(() => borda('o3')).toBe('3');
    await expect.poll(() => borda('o2')).toBe('2');
    await expect.poll(() => borda('o1')).toBe('1');
    const rows = await results.locator('tbody tr').allTextContents();
    expect(rows[0]).toContain('Mentoring');
    expect(rows[2]).toContain('Peer visits');

    // The teachers see the same results; the form is gone.
    await expect.poll(() => aigerim.locator('[data-ballot-results] [data-borda="o3"]').textContent()).toBe('3');
    expect(await aigerim.getByRole('button', { name: 'Send answer' }).count()).toBe(0);
  });

  it('lets the facilitator choose which ballot the projector shows', async () => {
    await facilitator.getByLabel('Kind', { exact: true }).selectOption('single');
    await facilitator.getByLabel('Question', { exact: true }).fill('Shall we meet again in a month?');
    await facilitator.getByLabel('Options, one per line').fill('Yes\nNo');
    await facilitator.getByRole('button', { name: 'Create ballot' }).click();
    const second = facilitator.locator('[data-ballot-row]').filter({ hasText: 'Shall we meet again in a month?' });
    await second.getByRole('button', { name: 'Open', exact: true }).click();
    // The newest ballot takes the screen by default…
    const heading = projector.locator('#pb-title');
    await expect.poll(() => heading.textContent()).toBe('Shall we meet again in a month?');
    // …until the facilitator puts the ranking back on it.
    const first = facilitator.locator('[data-ballot-row]').filter({ hasText: 'Which format helps young teachers most?' });
    const show = first.getByRole('button', { name: 'Show on projector' });
    await show.click();
    await expect.poll(() => show.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => heading.textContent()).toBe('Which format helps young teachers most?');
    await expect.poll(() => projector.locator('[data-ballot-results] [data-borda="o3"]').textContent()).toBe('3');
  });
});
