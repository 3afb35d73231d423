import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { SessionTemplate } from '@kenes/shared';
import { fetchTemplate, listTemplates } from '@kenes/shared/client';
import { ready, useBrowserRig } from '../helpers/browser.js';

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
});
