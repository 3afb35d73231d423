import type { DecisionStatus, RegisterEntry, RegisterFilter } from '@kenes/shared';
import { account } from './account.svelte';

/** The decision register of a workspace under the filters the page shows. */
export class RegisterState {
  entries = $state<RegisterEntry[]>([]);
  status = $state<DecisionStatus | ''>('');
  councilId = $state('');
  responsibleId = $state('');
  dueFrom = $state('');
  dueTo = $state('');
  q = $state('');

  constructor(readonly ws: string) {}

  get filter(): RegisterFilter {
    const f: RegisterFilter = {};
    if (this.status) f.status = this.status;
    if (this.councilId) f.councilId = this.councilId;
    if (this.responsibleId) f.responsibleId = this.responsibleId;
    if (this.dueFrom) f.dueFrom = this.dueFrom;
    if (this.dueTo) f.dueTo = this.dueTo;
    if (this.q.trim()) f.q = this.q.trim();
    return f;
  }

  /** The CSV of exactly what the filters show. */
  get csvPath(): string {
    return account.client.decisionsPath(this.ws, this.filter, 'csv');
  }

  async load(): Promise<void> {
    this.entries = await account.client.decisions(this.ws, this.filter);
  }

  async setDone(decisionId: string, done: boolean, note: string): Promise<void> {
    const entry = await account.client.setExecution(this.ws, decisionId, { done, note });
    this.entries = this.entries.map((e) => (e.decision.id === decisionId ? entry : e));
  }
}
