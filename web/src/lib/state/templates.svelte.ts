import type { SavedTemplateSummary } from '@kenes/shared';
import { listTemplates } from '@kenes/shared/client';
import { origin } from '$lib/api/server';

/** The server's saved templates, shared by the landing page's create and import forms. */
class SavedTemplates {
  items = $state<SavedTemplateSummary[]>([]);
  /** The list could not be fetched; the built-in methods need no server round trip. */
  failed = $state(false);
  /** A template just imported, for the create form to select. */
  fresh = $state<string | null>(null);

  async refresh(): Promise<void> {
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
}

export const savedTemplates = new SavedTemplates();
