import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SessionTemplate } from '@kenes/shared';
import { fetchTemplate, listTemplates } from '@kenes/shared/client';
import type { Page } from 'playwright-core';
import { createSessionInBrowser, ready, useBrowserRig } from '../helpers/browser.js';

const rig = useBrowserRig({ acceptDownloads: true });

describe('templates on the landing page and in the console', () => {
  it('imports a template file, starts a session from it, and saves and exports that session’s agenda', async () => {
    const url = rig.server.url;
    const builtin = await fetchTemplate(url, 'case-method', 'en');
    const template: SessionTemplate = {
      ...builtin,
      name: 'Short council',
      stages: builtin.stages.slice(0, 3).map((st, i) => (i === 1 ? { ...st, title: 'Read the case aloud', plannedMin: 12 } : st)),
    };

    const page = await rig.page();
    await page.goto(`${url}/?lang=en`);
    await ready(page);
    // Built-in methods show their description in the page's language.
    await expect.poll(() => page.getByRole('radio', { name: /Delphi method.*anonymously over several rounds/ }).isVisible()).toBe(true);

    await page.getByLabel('Template or session file (JSON)').setInputFiles({
      name: 'council.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(template)),
    });
    await expect.poll(() => page.getByText('Template “Short council”: 3 stages.').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Import', exact: true }).click();
    const radio = page.getByRole('radio', { name: /Short council/ });
    await expect.poll(() => radio.isChecked()).toBe(true);

    await page.getByLabel('Session title').fill('From a template');
    await page.getByRole('button', { name: 'Create session' }).click();
    await page.waitForURL(/\/s\/[A-Z0-9]{6}\/facilitate/);
    await ready(page);
    const code = /\/s\/([A-Z0-9]{6})\//.exec(page.url())![1]!;
    await expect.poll(() => page.getByRole('button', { name: 'Next stage' }).isVisible()).toBe(true);
    await expect.poll(() => page.getByText('Read the case aloud').first().isVisible()).toBe(true);

    await page.getByLabel('Template name').fill('Council, again');
    await page.getByRole('button', { name: 'Save as template' }).click();
    await expect.poll(async () => (await listTemplates(url)).saved.map((t) => [t.name, t.stages, t.minutes])).toContainEqual(['Council, again', 3, 27]);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export template' }).click()]);
    expect(download.suggestedFilename()).toBe(`template-${code}.json`);
    const exported = JSON.parse(readFileSync((await download.path())!, 'utf8')) as SessionTemplate;
    expect(exported).toMatchObject({ format: 'kenes-template', name: 'Council, again', method: 'case-method' });
    expect(exported.stages.map((st) => [st.key, st.title, st.plannedMin])).toEqual([
      ['case.join', null, 5],
      ['case.read', 'Read the case aloud', 12],
      ['case.individual', null, 10],
    ]);
  });

  it('lets only the browser that saved a template delete it, after asking', async () => {
    const url = rig.server.url;
    const saved = async () => (await listTemplates(url)).saved.map((t) => t.name);
    const start = async (page: Page) => {
      await page.goto(`${url}/?lang=en`);
      await ready(page);
    };
    const deleteButton = (page: Page, name: string) => page.getByRole('button', { name: `Delete template “${name}”` });

    // A methodologist saves a wrong agenda from the console.
    const mine = await rig.page();
    await createSessionInBrowser(mine, url, 'Wrong agenda session');
    await mine.getByLabel('Template name').fill('Wrong agenda');
    await mine.getByRole('button', { name: 'Save as template' }).click();
    await expect.poll(saved).toContain('Wrong agenda');

    // A colleague at another laptop imports one of their own.
    const theirs = await rig.page();
    await start(theirs);
    const file = { ...(await fetchTemplate(url, 'delphi', 'en')), name: 'Colleague’s Delphi' };
    await theirs.getByLabel('Template or session file (JSON)').setInputFiles({ name: 'delphi.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(file)) });
    await theirs.getByRole('button', { name: 'Import', exact: true }).click();
    await expect.poll(() => theirs.getByRole('radio', { name: /Colleague’s Delphi/ }).isChecked()).toBe(true);
    await expect.poll(() => deleteButton(theirs, 'Colleague’s Delphi').isVisible()).toBe(true);
    // Each sees both templates, and a delete button only for their own.
    await expect.poll(() => theirs.getByRole('radio', { name: /Wrong agenda/ }).isVisible()).toBe(true);
    expect(await deleteButton(theirs, 'Wrong agenda').count()).toBe(0);
    await start(mine);
    await expect.poll(() => mine.getByRole('radio', { name: /Colleague’s Delphi/ }).isVisible()).toBe(true);
    expect(await deleteButton(mine, 'Colleague’s Delphi').count()).toBe(0);
    expect(await mine.getByRole('button', { name: /^Delete template/ }).count()).toBe(1);

    // From the keyboard: the button asks first, and Cancel keeps the template.
    const button = deleteButton(mine, 'Wrong agenda');
    await expect.poll(() => button.isVisible()).toBe(true);
    await button.focus();
    await mine.keyboard.press('Enter');
    const dialog = mine.getByRole('dialog');
    await expect.poll(() => dialog.textContent()).toContain('Delete the template “Wrong agenda”?');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(await saved()).toContain('Wrong agenda');

    // A second tab of the same browser still lists it after it is gone.
    const stale = await mine.context().newPage();
    await start(stale);
    await expect.poll(() => deleteButton(stale, 'Wrong agenda').isVisible()).toBe(true);

    await button.click();
    await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => mine.getByRole('radio', { name: /Wrong agenda/ }).count()).toBe(0);
    await expect.poll(() => mine.getByRole('status').filter({ hasText: 'Template “Wrong agenda” deleted.' }).isVisible()).toBe(true);
    expect(await saved()).not.toContain('Wrong agenda');
    expect(await saved()).toContain('Colleague’s Delphi');

    await deleteButton(stale, 'Wrong agenda').click();
    await stale.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => stale.getByText('Template “Wrong agenda” was already deleted.').isVisible()).toBe(true);
    await expect.poll(() => stale.getByRole('radio', { name: /Wrong agenda/ }).count()).toBe(0);

    // The colleague's list no longer has it either.
    await start(theirs);
    await expect.poll(() => theirs.getByRole('radio', { name: /Colleague’s Delphi/ }).isVisible()).toBe(true);
    expect(await theirs.getByRole('radio', { name: /Wrong agenda/ }).count()).toBe(0);
  });
});
