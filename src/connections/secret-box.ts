import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

export type SecretKeyProblem = 'secret-key-missing' | 'secret-key-invalid' | 'secret-key-mismatch' | 'secret-unreadable';

/** Why a secret cannot be sealed or opened; the message says what to do about it. */
export class SecretKeyError extends Error {
  constructor(readonly code: SecretKeyProblem, message: string) {
    super(message);
  }
}

const HOW = 'Set QUELL_SECRET_KEY to 32 random bytes, base64 or hex (e.g. `openssl rand -base64 32`), and restart Quell.';

/** The 32-byte AES-256 key from QUELL_SECRET_KEY: 64 hex digits, or base64 / base64url of 32 bytes. */
export function parseSecretKey(text: string | undefined): Buffer {
  const t = (text ?? '').trim();
  if (!t) throw new SecretKeyError('secret-key-missing', `QUELL_SECRET_KEY is not set, and Quell stores no connection secret without it. ${HOW}`);
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(t)) {
    const key = Buffer.from(t.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
    if (key.length === 32) return key;
    throw new SecretKeyError('secret-key-invalid', `QUELL_SECRET_KEY decodes to ${key.length} bytes; AES-256 needs exactly 32. ${HOW}`);
  }
  throw new SecretKeyError('secret-key-invalid', `QUELL_SECRET_KEY is neither 64 hex digits nor base64. ${HOW}`);
}

/** A short public name for a key (not the key): lets an error say which key sealed a secret. */
export const keyFingerprint = (key: Buffer) => createHash('sha256').update('quell-secret-key').update(key).digest('hex').slice(0, 8);

const b64 = (b: Buffer) => b.toString('base64url');

export interface SecretBox {
  /** `v1.<key fingerprint>.<iv>.<tag>.<ciphertext>`; `context` is bound in as associated data (it must match to open). */
  seal(plain: string, context: string): string;
  open(sealed: string, context: string): string;
}

/**
 * AES-256-GCM with a random 96-bit IV per secret (NIST SP 800-38D's recommended IV length). The context (the
 * connection id and kind) is authenticated, so a ciphertext copied onto another row does not open there.
 * The key is read when first needed: a Quell without QUELL_SECRET_KEY runs, and only storing or using a secret fails.
 */
export function createSecretBox(keyText: string | undefined): SecretBox {
  let key: Buffer | undefined;
  const current = () => (key ??= parseSecretKey(keyText));
  return {
    seal(plain, context) {
      const k = current();
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', k, iv).setAAD(Buffer.from(context, 'utf8'));
      const ct = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return ['v1', keyFingerprint(k), b64(iv), b64(cipher.getAuthTag()), b64(ct)].join('.');
    },
    open(sealed, context) {
      const k = current();
      const parts = sealed.split('.');
      if (parts.length !== 5 || parts[0] !== 'v1') throw new SecretKeyError('secret-unreadable', 'the stored secret is not in a format this Quell reads');
      const [, fp, iv, tag, ct] = parts as [string, string, string, string, string];
      if (fp !== keyFingerprint(k)) {
        throw new SecretKeyError('secret-key-mismatch', `the secret was encrypted under another QUELL_SECRET_KEY (key ${fp}; the current key is ${keyFingerprint(k)}). `
          + 'Start Quell with the key it was saved under, or save the connection again with its secret.');
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', k, Buffer.from(iv, 'base64url')).setAAD(Buffer.from(context, 'utf8'));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw new SecretKeyError('secret-unreadable', 'the stored secret does not authenticate under the current QUELL_SECRET_KEY (it was altered or belongs to another connection); save the connection again with its secret');
      }
    },
  };
}
