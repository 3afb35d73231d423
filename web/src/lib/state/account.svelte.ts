import type { Account, Workspace, WorkspaceRole } from '@kenes/shared';
import { AccountClient } from '@kenes/shared/client';
import { origin } from '$lib/api/server';

/**
 * Who is signed in on this browser. The cookie is HttpOnly, so the page learns it only by
 * asking (`me`); the one client instance keeps the csrf value every change must carry.
 */
class AccountState {
  account = $state<Account | null>(null);
  workspaces = $state<{ workspace: Workspace; role: WorkspaceRole }[]>([]);
  /** The first `me` has answered (signed in or not). */
  known = $state(false);
  private client_: AccountClient | null = null;
  private loading: Promise<void> | null = null;

  /** Created on first use: `location` exists only in the browser. */
  get client(): AccountClient {
    this.client_ ??= new AccountClient(origin());
    return this.client_;
  }

  /** Ask the server who this browser is, once per page load unless forced. */
  load(force = false): Promise<void> {
    if (this.loading && !force) return this.loading;
    this.loading = (async () => {
      const me = await this.client.me();
      this.account = me?.account ?? null;
      this.workspaces = me?.workspaces ?? [];
      this.known = true;
    })();
    return this.loading;
  }

  async login(login: string, password: string): Promise<void> {
    await this.client.login({ login, password });
    await this.load(true);
  }

  async register(login: string, name: string, password: string): Promise<void> {
    await this.client.register({ login, name, password });
    await this.load(true);
  }

  async logout(): Promise<void> {
    await this.client.logout();
    this.account = null;
    this.workspaces = [];
  }
}

export const account = new AccountState();

/** Where the sign-in page sends a visitor back after signing in: only paths of this app. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') ? next : '/w';
}

/** The sign-in page that returns to `path` afterwards. */
export const signInPath = (path: string): string => `/account?next=${encodeURIComponent(path)}`;

/**
 * Make sure someone is signed in before a cabinet page loads its data: resolves true when
 * so, else sends the visitor to the sign-in page (which returns here) and resolves false.
 */
export async function requireAccount(goto: (path: string) => Promise<void>): Promise<boolean> {
  await account.load();
  if (account.account) return true;
  await goto(signInPath(location.pathname + location.search));
  return false;
}
