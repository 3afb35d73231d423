import { afterEach, describe, expect, it } from 'vitest';
import type { BrowserContext, Locator, Page } from 'playwright-core';
import { addNote as addNoteTo, LIMITS } from '@kenes/shared';
import { createSessionInBrowser, ready, useBrowserRig } from '../helpers/browser.js';
import { board, newFacilitator } from '../helpers/people.js';

const rig = useBrowserRig({ viewport: { width: 1280, height: 900 } });
let facilitator: Page;
let aigerim: Page;
let aigerimContext: BrowserContext;
let daniyar: Page;
let code = '';

/** A note card on a page, by its text. */
const note = (page: Page, text: string): Locator => page.locator('article.note', { hasText: text });
/** An area of the stage in progress (a region named by its heading). */
const area = (page: Page, name: string): Locator => page.getByRole('region', { name, exact: true });

/** Drag with the mouse: press on the note's text, move in steps, release over the target. */
async function drag(page: Page, from: Locator, to: Locator): Promise<void> {
  const a = (await from.locator('p.text').boundingBox())!;
  const b = (await to.boundingBox())!;
  await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
  await page.mouse.down();
  await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 12 });
  await page.mouse.up();
}

async function addNote(page: Page, text: string, where?: string): Promise<void> {
  await page.getByLabel('Note', { exact: true }).fill(text);
  if (where) await page.getByLabel('Area', { exact: true }).selectOption({ label: where });
  await page.getByRole('button', { name: 'Add note' }).click();
  await expect.poll(() => note(page, text).count()).toBe(1);
}

/** Press a key in the focused move menu until the focused item's name starts with `label`. */
async function focusMenuItem(page: Page, label: string): Promise<void> {
  // The menu opens on the key press; wait until it holds the focus, or the arrows would go elsewhere.
  const menu = page.getByRole('group', { name: 'Where to move the note' });
  await expect.poll(() => menu.evaluate((el) => el.contains(document.activeElement)).catch(() => false)).toBe(true);
  for (let i = 0; i < 20; i++) {
    const name = await page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');
    if (name.startsWith(label)) return;
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`no menu item "${label}"`);
}

const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent ?? '');

afterEach(async (ctx) => {
  if (ctx.task.result?.state !== 'fail' || !process.env.KENES_DEBUG) return;
  for (const [name, page] of [['facilitator', facilitator], ['aigerim', aigerim], ['daniyar', daniyar]] as const) {
    if (!page || page.isClosed()) continue;
    await page.screenshot({ path: `/tmp/kenes-web/${name}.png`, fullPage: true }).catch(() => {});
  }
});

describe('boards in real browsers: a design-thinking sprint', () => {
  it('sets up a session with one group of two teachers', async () => {
    facilitator = await rig.page();
    code = await createSessionInBrowser(facilitator, rig.server.url, 'Mentoring young teachers', /Design thinking/);

    for (const name of ['Aigerim', 'Daniyar']) {
      const page = await rig.page();
      await page.goto(`${rig.server.url}/join/${code}?lang=en`);
      await ready(page);
      await page.getByLabel('Your name').fill(name);
      await page.getByRole('button', { name: 'Join' }).click();
      await expect.poll(() => page.getByText(name).first().isVisible()).toBe(true);
      if (name === 'Aigerim') aigerim = page;
      else daniyar = page;
    }
    aigerimContext = aigerim.context();
    await expect.poll(() => facilitator.getByText('Teachers joined: 2 (online: 2)').isVisible()).toBe(true);
    await facilitator.getByLabel('Number of groups').fill('1');
    await facilitator.getByRole('button', { name: 'Split into groups' }).click();
    await facilitator.getByRole('button', { name: 'Next stage' }).click();
    for (const page of [aigerim, daniyar]) {
      await expect.poll(() => page.getByRole('heading', { name: 'Empathy' }).isVisible()).toBe(true);
      await expect.poll(() => area(page, 'Says').isVisible()).toBe(true);
    }
  });

  it('drags a note between areas and onto another to make a cluster', async () => {
    await addNote(aigerim, 'Talks about workload');
    await addNote(aigerim, 'Stays late after lessons');
    await expect.poll(() => area(daniyar, 'Says').getByText('Talks about workload').isVisible()).toBe(true);

    await drag(aigerim, note(aigerim, 'Talks about workload'), area(aigerim, 'Thinks'));
    await expect.poll(() => area(aigerim, 'Thinks').getByText('Talks about workload').isVisible()).toBe(true);
    await expect.poll(() => area(daniyar, 'Thinks').getByText('Talks about workload').isVisible()).toBe(true);
    expect(await area(aigerim, 'Says').getByText('Talks about workload').count()).toBe(0);

    await drag(aigerim, note(aigerim, 'Stays late after lessons'), note(aigerim, 'Talks about workload'));
    const cluster = (page: Page) => area(page, 'Thinks').getByRole('region', { name: /^Cluster/ });
    await expect.poll(() => cluster(aigerim).getByText('Stays late after lessons').isVisible()).toBe(true);
    expect(await cluster(aigerim).getByText('Talks about workload').count()).toBe(1);
    await cluster(aigerim).getByLabel('Cluster name').fill('Workload');
    await expect.poll(() => cluster(daniyar).getAttribute('aria-label')).toContain('Workload');
  });

  it('does the same by keyboard, and undoes it', async () => {
    await addNote(aigerim, 'Feels tired on Fridays');
    const card = note(aigerim, 'Feels tired on Fridays');
    await card.focus();
    await aigerim.keyboard.press('m');
    await expect.poll(() => aigerim.getByRole('group', { name: 'Where to move the note' }).isVisible()).toBe(true);
    await focusMenuItem(aigerim, 'Move to: Feels');
    await aigerim.keyboard.press('Enter');
    await expect.poll(() => area(aigerim, 'Feels').getByText('Feels tired on Fridays').isVisible()).toBe(true);
    await expect.poll(() => aigerim.getByText('Note moved to Feels.').count()).toBe(1);
    // Focus follows the note to its new area, so the next key press goes on from there.
    await expect.poll(() => focusedText(aigerim)).toContain('Feels tired on Fridays');

    await aigerim.keyboard.press('m');
    await focusMenuItem(aigerim, 'Add to cluster: Workload');
    await aigerim.keyboard.press('Enter');
    const cluster = area(aigerim, 'Thinks').getByRole('region', { name: /^Cluster «Workload»/ });
    await expect.poll(() => cluster.getByText('Feels tired on Fridays').isVisible()).toBe(true);
    await expect.poll(() => area(daniyar, 'Thinks').getByText('Feels tired on Fridays').isVisible()).toBe(true);

    await expect.poll(() => focusedText(aigerim)).toContain('Feels tired on Fridays');
    await aigerim.keyboard.press('m');
    await focusMenuItem(aigerim, 'Take out of the cluster');
    await aigerim.keyboard.press('Enter');
    await expect.poll(() => cluster.getByText('Feels tired on Fridays').count()).toBe(0);
    await expect.poll(() => area(aigerim, 'Thinks').getByText('Feels tired on Fridays').isVisible()).toBe(true);

    // Undo puts it back into the cluster; redo takes it out again.
    await aigerim.getByRole('button', { name: 'Undo', exact: true }).click();
    await expect.poll(() => cluster.getByText('Feels tired on Fridays').isVisible()).toBe(true);
    await aigerim.keyboard.press('Control+Shift+Z');
    await expect.poll(() => cluster.getByText('Feels tired on Fridays').count()).toBe(0);
  });

  it('moves a whole cluster to another area by keyboard', async () => {
    const mover = area(aigerim, 'Thinks').getByRole('combobox', { name: 'Move the cluster “Workload” to another area' });
    await mover.focus();
    await mover.selectOption({ label: 'Does' });
    const moved = (page: Page) => area(page, 'Does').getByRole('region', { name: /^Cluster «Workload»/ });
    await expect.poll(() => moved(aigerim).getByText('Stays late after lessons').isVisible()).toBe(true);
    await expect.poll(() => moved(daniyar).getByText('Talks about workload').isVisible()).toBe(true);
    expect(await area(aigerim, 'Thinks').getByText('Talks about workload').count()).toBe(0);
    await expect.poll(() => aigerim.getByText('Cluster moved to Does.').count()).toBe(1);
  });

  it('gives +1 and keeps a groupmate’s note safe from edits', async () => {
    const plus = daniyar.locator('article.note', { hasText: 'Talks about workload' }).getByRole('button', { name: /^\+1/ });
    await plus.click();
    await expect.poll(() => plus.getAttribute('aria-pressed')).toBe('true');
    await expect.poll(() => note(aigerim, 'Talks about workload').getByRole('button', { name: '+1 (1)' }).isVisible()).toBe(true);
    // Not his note: Daniyar may react to it but not edit or delete it.
    expect(await note(daniyar, 'Talks about workload').getByRole('button', { name: 'Delete note' }).count()).toBe(0);
  });

  it('lets the group give its members roles, shown next to their names', async () => {
    await expect.poll(() => aigerim.getByLabel('Speaker', { exact: true }).locator('option', { hasText: 'Daniyar' }).count()).toBe(1);
    await aigerim.getByLabel('Speaker', { exact: true }).selectOption({ label: 'Daniyar' });
    await expect.poll(() => daniyar.locator('.me').getByText('Speaker').isVisible()).toBe(true);
    const inConsole = facilitator.getByRole('combobox', { name: 'Speaker in Group 1' });
    await expect.poll(() => inConsole.evaluate((el: HTMLSelectElement) => el.selectedOptions[0]?.textContent)).toBe('Daniyar');
    await facilitator.getByRole('combobox', { name: 'Timekeeper in Group 1' }).selectOption({ label: 'Aigerim' });
    await expect.poll(() => aigerim.locator('.me').getByText('Timekeeper').isVisible()).toBe(true);
  });

  it('keeps notes written offline, also across a closed tab, and the facilitator sees them', async () => {
    await aigerimContext.setOffline(true);
    await expect.poll(() => aigerim.getByText(/Offline — changes will be sent/).first().isVisible()).toBe(true);
    await addNote(aigerim, 'Written while offline');
    await aigerimContext.setOffline(false);
    await expect.poll(() => facilitator.getByText('Written while offline').isVisible(), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => aigerim.getByText('Saved', { exact: true }).first().isVisible(), { timeout: 15_000 }).toBe(true);

    await aigerimContext.setOffline(true);
    await expect.poll(() => aigerim.getByText(/Offline — changes will be sent/).first().isVisible()).toBe(true);
    await addNote(aigerim, 'Written offline, then the tab closed');
    await aigerim.waitForTimeout(500);
    await aigerim.close();
    expect(await facilitator.getByText('Written offline, then the tab closed').count()).toBe(0);
    await aigerimContext.setOffline(false);

    aigerim = await aigerimContext.newPage();
    await aigerim.goto(`${rig.server.url}/join/${code}?lang=en`);
    await ready(aigerim);
    await expect.poll(() => note(aigerim, 'Written offline, then the tab closed').isVisible()).toBe(true);
    await expect
      .poll(() => facilitator.getByText('Written offline, then the tab closed').isVisible(), { timeout: 15_000 })
      .toBe(true);
    await expect.poll(() => daniyar.getByText('Written offline, then the tab closed').isVisible()).toBe(true);
  });

  it('hides private writing from a groupmate until the facilitator reveals it', async () => {
    await facilitator.getByRole('button', { name: 'Next stage' }).click();
    await facilitator.getByRole('button', { name: 'Next stage' }).click();
    for (const page of [aigerim, daniyar]) {
      await expect.poll(() => page.getByRole('heading', { name: 'Ideation' }).isVisible()).toBe(true);
      await expect
        .poll(() => page.getByText('Only you can see these notes until the facilitator reveals them').isVisible())
        .toBe(true);
    }
    await addNote(aigerim, 'Mentoring pairs for new teachers', 'Quick wins');
    await addNote(daniyar, 'Open lessons every month', 'Major projects');
    await aigerim.waitForTimeout(1500);
    expect(await daniyar.getByText('Mentoring pairs for new teachers').count()).toBe(0);
    expect(await aigerim.getByText('Open lessons every month').count()).toBe(0);

    await facilitator.getByRole('button', { name: 'Reveal notes' }).click();
    for (const page of [aigerim, daniyar]) {
      await expect.poll(() => page.getByText('Only you can see these notes').count()).toBe(0);
      await expect.poll(() => area(page, 'Quick wins').getByText('Mentoring pairs for new teachers').isVisible()).toBe(true);
      await expect.poll(() => area(page, 'Major projects').getByText('Open lessons every month').isVisible()).toBe(true);
    }
  });

  it('opens prototyping with the shortlisted ideas, each ready to become a card', async () => {
    await facilitator.getByRole('button', { name: 'Next stage' }).click();
    await expect.poll(() => aigerim.getByRole('heading', { name: 'Prototyping' }).isVisible()).toBe(true);
    await expect.poll(() => aigerim.getByRole('heading', { name: 'Shortlisted ideas' }).isVisible()).toBe(true);
    // Only the quick wins are shortlisted.
    expect(await aigerim.getByRole('button', { name: 'Make a card' }).count()).toBe(1);
    await aigerim.getByRole('button', { name: 'Make a card' }).click();
    await expect.poll(() => aigerim.getByText('Card made', { exact: true }).isVisible()).toBe(true);
    await aigerim.getByLabel('Manager').fill('Saule Nurlanovna');
    await aigerim.getByLabel('World café').check();
    await expect.poll(() => daniyar.getByLabel('Title').inputValue()).toBe('Mentoring pairs for new teachers');
    await expect.poll(() => daniyar.getByLabel('Manager').inputValue()).toBe('Saule Nurlanovna');
    await expect.poll(() => daniyar.getByLabel('World café').isChecked()).toBe(true);
  });
});

describe('a board that is full', () => {
  it('says why the server refused a change, and does not reconnect in a loop', async () => {
    const fac = await newFacilitator(rig.server.url, { template: 'case-method', locale: 'en' });
    const { code: room, id: sessionId } = fac.created;
    const page = await rig.page();
    await page.goto(`${rig.server.url}/join/${room}?lang=en`);
    await ready(page);
    await page.getByLabel('Your name').fill('Gulnara');
    await page.getByRole('button', { name: 'Join' }).click();
    await expect.poll(() => page.getByText('Gulnara').first().isVisible()).toBe(true);
    await fac.client.command({ type: 'groups.split', count: 1 });
    await fac.client.command({ type: 'stage.go', index: 3, from: 0 });
    await expect.poll(() => page.getByRole('heading', { name: 'Group work' }).isVisible()).toBe(true);

    // Someone else fills the board to one short of the limit.
    const conn = board(rig.server.url, sessionId, 'g-g1', fac.created.facilitatorToken);
    await conn.synced;
    const stageId = fac.client.state!.stages[3]!.id;
    const fill = (from: number, n: number) =>
      conn.doc.transact(() => {
        for (let i = from; i < from + n; i++)
          addNoteTo(conn.doc, { id: `n${i}`, text: `Filler ${i}`, color: 'yellow', authorId: 'facilitator', authorName: 'F', stageId, createdAt: i });
      });
    fill(0, LIMITS.boardNotes - 1);
    await expect.poll(() => page.locator('article.note').count(), { timeout: 15_000 }).toBe(LIMITS.boardNotes - 1);

    // Offline, the teacher takes the last place; meanwhile the server's board fills up.
    await page.context().setOffline(true);
    await addNote(page, 'One note too many');
    fill(LIMITS.boardNotes - 1, 1);
    await expect.poll(() => page.getByRole('button', { name: 'Add note' }).isDisabled()).toBe(true);
    await expect.poll(() => page.getByText('This board holds 500 notes').isVisible()).toBe(true);

    let sockets = 0;
    page.on('websocket', (ws) => ws.url().includes('/yjs/') && sockets++);
    await page.context().setOffline(false);
    await expect
      .poll(() => page.getByText('The server did not accept the last change: this board is full').isVisible(), { timeout: 15_000 })
      .toBe(true);
    const after = sockets;
    await page.waitForTimeout(4000);
    // No reconnecting over and over with the same refused update.
    expect(sockets).toBe(after);
    expect(sockets).toBeLessThanOrEqual(2);
    conn.close();
    fac.client.close();
  });
});
