import { createHash } from 'node:crypto';
import { customAlphabet, nanoid } from 'nanoid';
import { CODE_ALPHABET, CODE_LENGTH } from '@kenes/shared';

/** Tokens are stored only as hashes: a copied database grants nobody a role. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');
export const newToken = () => nanoid(32);
export const newId = () => nanoid(12);
export const newCode = customAlphabet(CODE_ALPHABET, CODE_LENGTH);
