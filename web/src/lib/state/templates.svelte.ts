import type { SavedTemplateSummary } from '@kenes/shared';
import { ApiError, deleteTemplate, listTemplates } from '@kenes/shared/client';
import { origin } from '$lib/api/server';
import { clearTemplateOwnerToken, templateOwnerTokens } from '$lib/state/credentials';

/** The server's saved templates, shared by the landing page's create and import forms. */
class SavedTemplates {
  items = $state<SavedTemplateSummary[]>([]);
  /** The list could not be fetched; the built-in methods need no server round trip. */
  failed = $state(false);
  /** A template just imported, for the create form to select. */
  fresh = $state<string | null>(null);
  /** Owner tokens this browser holds, by template id: the templates it may delete. */
  owners = $state<Record<string, string>>({});

  async refresh(): Promise<void> {
    // Read again each time: the console of another tab may have saved one meanwhile.
    this.owners = templateOwnerTokens();
    try {
      this.items = (await listTemplates(origin())).saved;
      this.failed = false;
    } catch {
      this.failed = true;
    }
  }

  /** After an import: list it and have it chosen. */
  async added(id: string): Promise<void> {
    await this.refresh();
    this.fresh = id;
  }

  owns(id: string): boolean {
    return id in this.owners;
  }

  /**
   * Delete a template this browser saved. A 404 (already gone) or 403 (not this
   * browser's after all) is thrown as it came, and the entry is dropped all the same:
   * there is nothing more this browser can do with it.
   */
  async remove(id: string): Promise<void> {
    const token = this.owners[id];
    if (!token) return;
    try {
      await deleteTemplate(origin(), id, token);
    } catch (err) {
      if (err instanceof ApiError && err.status === 404) this.forget(id, true);
      else if (err instanceof ApiError && err.status === 403) this.forget(id, false);
      throw err;
    }
    this.forget(id, true);
  }

  private forget(id: string, gone: boolean): void {
    clearTemplateOwnerToken(id);
    this.owners = templateOwnerTokens();
    if (gone) this.items = this.items.filter((x) => x.id !== id);
    if (this.fresh === id) this.fresh = null;
  }
}

export const savedTemplates = new SavedTemplates();
