import { AccountClient, ApiError } from '@kenes/shared/client';
import type { WorkspaceRole } from '@kenes/shared';

let counter = 0;

/** A signed-in account client with its id and name. */
export type Person = AccountClient & { id: string; name: string };

/** A new account, signed in; the login is unique per call. */
export async function newAccount(url: string, name: string, login = `user${++counter}.${Date.now().toString(36)}`): Promise<Person> {
  const client = new AccountClient(url);
  const { account } = await client.register({ login, name, password: `pass-${login}` });
  return Object.assign(client, { id: account.id, name: account.name });
}

/** `who` joins `ws` with `role` through an invitation the owner makes. */
export async function addMember(owner: AccountClient, ws: string, who: AccountClient, role: WorkspaceRole): Promise<void> {
  const { token } = await owner.invite(ws, { role });
  await who.acceptInvitation(token);
}

/** The error a call was refused with; fails when it was not refused. */
export async function refusal(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

/** `[status, code]` of a refused call, for one-line assertions. */
export const refused = async (p: Promise<unknown>) => {
  const e = await refusal(p);
  return [e.status, e.body.code] as const;
};
