import { hash, verify, type Algorithm } from '@node-rs/argon2';

// The library's `Algorithm.Argon2id`, a const enum the compiler cannot inline across packages here.
const ARGON2ID = 2 as Algorithm;

/**
 * argon2id with OWASP's second recommended setting (19 MiB, 2 passes, one lane): about
 * 30 ms here, so a login is not a denial-of-service lever and a leaked hash is costly.
 */
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const hashPassword = (password: string): Promise<string> => hash(password, OPTIONS);

/** The library compares the derived keys in constant time; a malformed stored hash is simply a mismatch. */
export async function checkPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | null = null;

/**
 * Spend one verification on a login that matched no account, so how long a refusal took
 * does not tell which logins exist.
 */
export async function spendOneCheck(password: string): Promise<void> {
  dummy ??= hashPassword('kenes: no such account');
  await checkPassword(await dummy, password);
}
