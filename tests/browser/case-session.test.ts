import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { createSessionInBrowser, ready, useBrowserRig } from '../helpers/browser.js';

const rig = useBrowserRig({ acceptDownloads: true });
let facilitator: Page;
let projector: Page;
let aigerim: Page;
let daniyar: Page;
let code = '';

describe('a facilitator, a projector and two teachers in real browsers', () => {
  it('creates a session and lands in the console', async () => {
    facilitator = await rig.page();
    code = await createSessionInBrowser(facilitator, rig.server.url, 'Criteria for lesson success');
    // The token is kept by the browser, not left in the address bar.
    expect(facilitator.url()).not.toContain('token=');
    await expect.poll(() => facilitator.getByRole('button', { name: 'Next stage' }).isVisible()).toBe(true);
  });

  it('projects the room code, and shows teachers as they join', async () => {
    projector = await rig.page();
    await projector.goto(`${rig.server.url}/s/${code}/screen?lang=en`);
    await ready(projector);
    await expect.poll(() => projector.getByText(code, { exact: true }).first().isVisible()).toBe(true);
    await expect.poll(() => projector.locator('img[alt^="QR code"]').count()).toBe(1);

    aigerim = await rig.page();
    await aigerim.goto(`${rig.server.url}/join/${code}?lang=en`);
    await ready(aigerim);
    expect(await aigerim.getByLabel('Room code').inputValue()).toBe(code);
    await aigerim.getByLabel('Your name').fill('Aigerim');
    await aigerim.getByRole('button', { name: 'Join' }).click();

    daniyar = await rig.page();
    await daniyar.goto(`${rig.server.url}/?lang=en`);
    await ready(daniyar);
    await daniyar.getByLabel('Room code').fill(code.toLowerCase());
    await daniyar.getByLabel('Room code').press('Enter');
    await daniyar.waitForURL(new RegExp(`/join/${code}`));
    await ready(daniyar);
    await daniyar.getByLabel('Your name').fill('Daniyar');
    await daniyar.getByRole('button', { name: 'Join' }).click();

    await expect.poll(() => projector.getByText('Aigerim').isVisible()).toBe(true);
    await expect.poll(() => projector.getByText('Daniyar').isVisible()).toBe(true);
    await expect.poll(() => projector.getByText('Joined: 2').isVisible()).toBe(true);
  });

  it('splits the teachers into groups and walks to the individual stage', async () => {
    await facilitator.getByLabel('Number of groups').fill('2');
    await facilitator.getByRole('button', { name: 'Split into groups' }).click();
    await facilitator.getByRole('button', { name: 'Next stage' }).click();
    await facilitator.getByRole('button', { name: 'Next stage' }).click();
    for (const page of [aigerim, daniyar, projector])
      await expect.poll(() => page.getByRole('heading', { name: 'Individual analysis' }).isVisible()).toBe(true);
  });

  it('goes back a stage only after a confirmation', async () => {
    await facilitator.getByRole('button', { name: 'Previous stage' }).click();
    const dialog = facilitator.getByRole('dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => aigerim.getByRole('heading', { name: 'Individual analysis' }).isVisible()).toBe(true);
    await facilitator.getByRole('button', { name: 'Previous stage' }).click();
    await facilitator.getByRole('dialog').getByRole('button', { name: 'Go back' }).click();
    await expect.poll(() => aigerim.getByRole('heading', { name: 'Reading the case' }).isVisible()).toBe(true);
    await facilitator.getByRole('button', { name: 'Next stage' }).click();
    await expect.poll(() => aigerim.getByRole('heading', { name: 'Individual analysis' }).isVisible()).toBe(true);
  });

  it('runs a timer that a teacher sees counting down', async () => {
    await facilitator.getByRole('button', { name: 'Start timer' }).click();
    const timer = aigerim.getByRole('timer');
    await expect.poll(() => timer.textContent()).toMatch(/^\s*9:5\d\s*$/);
    const first = await timer.textContent();
    await expect.poll(() => timer.textContent(), { timeout: 5000 }).not.toBe(first);
    await facilitator.getByRole('button', { name: 'Pause timer' }).click();
    await expect.poll(() => aigerim.getByText('Paused').isVisible()).toBe(true);
  });

  it('keeps a note as text, never as markup', async () => {
    const xss = '<img src=x onerror=alert(1)>';
    let alerted = false;
    aigerim.on('dialog', (d) => {
      alerted = true;
      void d.dismiss();
    });
    await aigerim.getByLabel('Note', { exact: true }).fill(xss);
    await aigerim.getByRole('button', { name: 'Add note' }).click();
    await expect.poll(() => aigerim.getByText(xss).isVisible()).toBe(true);
    expect(await aigerim.locator('img[src="x"]').count()).toBe(0);
    expect(alerted).toBe(false);
  });

  it('shares group notes between members live, and marks each solution', async () => {
    await facilitator.getByRole('button', { name: 'Next stage' }).click();
    await expect.poll(() => aigerim.getByRole('heading', { name: 'Group work' }).isVisible()).toBe(true);
    for (const [page, text] of [[aigerim, 'Success criteria on every lesson'], [daniyar, 'Peer lesson visits']] as const) {
      await page.getByLabel('Note', { exact: true }).fill(text);
      await page.getByRole('button', { name: 'Add note' }).click();
      await expect.poll(() => page.getByText(text).first().isVisible()).toBe(true);
      await page.getByLabel("Our group's solution").fill(text);
      await page.getByRole('button', { name: 'Save solution' }).click();
    }
    await expect.poll(() => facilitator.getByText('Peer lesson visits').first().isVisible()).toBe(true);
  });

  it('runs a secret dot vote and reveals the results on the projector', async () => {
    await facilitator.getByRole('button', { name: 'Next stage' }).click();
    await facilitator.getByRole('button', { name: 'Next stage' }).click();
    await expect.poll(() => aigerim.getByRole('heading', { name: 'Voting' }).isVisible()).toBe(true);
    await facilitator.getByRole('button', { name: 'Open vote' }).click();
    const add = (page: Page, option: string) => page.getByRole('button', { name: `Add a vote to ${option}` });
    await add(aigerim, 'Success criteria on every lesson').click();
    await add(aigerim, 'Success criteria on every lesson').click();
    await expect.poll(() => aigerim.getByText('Votes left: 1').isVisible()).toBe(true);
    // At most two on one option: the third is refused by the button, and the count stays.
    expect(await add(aigerim, 'Success criteria on every lesson').isDisabled()).toBe(true);
    await add(aigerim, 'Peer lesson visits').click();
    await expect.poll(() => aigerim.getByText('Votes left: 0').isVisible()).toBe(true);
    await add(daniyar, 'Success criteria on every lesson').click();
    await expect.poll(() => facilitator.getByText('2 ballots').isVisible()).toBe(true);
    await expect.poll(() => daniyar.getByText('Saved ✓').first().isVisible()).toBe(true);
    await facilitator.getByRole('button', { name: 'Close vote' }).click();
    await facilitator.getByRole('button', { name: 'Reveal results' }).click();
    await expect.poll(() => projector.getByText('Voters: 2; votes cast: 4.').isVisible()).toBe(true);
    await expect.poll(() => projector.getByText('75%').first().isVisible()).toBe(true);
  });

  it('records the decision and downloads the minutes', async () => {
    await facilitator.getByRole('button', { name: 'Next stage' }).click();
    await facilitator.getByLabel('Reasons').fill('Most votes, and it can start next week.');
    await facilitator.getByRole('button', { name: 'Record decision' }).click();
    await expect.poll(() => projector.getByText('Most votes, and it can start next week.').isVisible()).toBe(true);
    const [download] = await Promise.all([
      facilitator.waitForEvent('download'),
      facilitator.getByRole('button', { name: 'Download minutes' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`minutes-${code}.md`);
    const md = readFileSync((await download.path())!, 'utf8');
    expect(md.split('\n')[0]).toBe('# Minutes');
    expect(md).toContain('Criteria for lesson success');
    expect(md).toContain('Aigerim');
    expect(md).toContain('Daniyar');
    expect(md).toContain('Peer lesson visits');
    expect(md).toContain('## DECIDED');
    expect(md).toContain('Most votes, and it can start next week.');
  });

  it('brings a teacher back as the same person after a reload', async () => {
    await aigerim.reload();
    await ready(aigerim);
    expect(await aigerim.getByLabel('Your name').count()).toBe(0);
    await expect.poll(() => aigerim.getByText('Aigerim').first().isVisible()).toBe(true);
  });
});
