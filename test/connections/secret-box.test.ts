import { describe, it, expect } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createSecretBox, keyFingerprint, parseSecretKey, SecretKeyError } from '../../src/connections/secret-box.js';

const KEY = randomBytes(32);

describe('QUELL_SECRET_KEY parsing', () => {
  const cases: { name: string; text: string | undefined; ok?: Buffer; code?: string }[] = [
    { name: '64 hex digits', text: KEY.toString('hex'), ok: KEY },
    { name: 'upper-case hex', text: KEY.toString('hex').toUpperCase(), ok: KEY },
    { name: 'base64 of 32 bytes', text: KEY.toString('base64'), ok: KEY },
    { name: 'base64url of 32 bytes', text: KEY.toString('base64url'), ok: KEY },
    { name: 'surrounding whitespace', text: `  ${KEY.toString('base64')}\n`, ok: KEY },
    { name: 'unset', text: undefined, code: 'secret-key-missing' },
    { name: 'empty', text: '   ', code: 'secret-key-missing' },
    { name: 'base64 of 16 bytes', text: randomBytes(16).toString('base64'), code: 'secret-key-invalid' },
    { name: 'a passphrase', text: 'correct horse battery staple', code: 'secret-key-invalid' },
  ];
  for (const c of cases) {
    it(`when the key is ${c.name}, then it ${c.ok ? 'reads as the 32 bytes' : `is refused (${c.code}) with how to set it`}`, () => {
      if (c.ok) { expect(parseSecretKey(c.text).equals(c.ok)).toBe(true); return; }
      try { parseSecretKey(c.text); expect.unreachable(); } catch (e) {
        expect(e).toBeInstanceOf(SecretKeyError);
        expect((e as SecretKeyError).code).toBe(c.code);
        expect((e as Error).message).toMatch(/QUELL_SECRET_KEY.*openssl rand -base64 32/s);
      }
    });
  }
});

describe('AES-256-GCM secret box', () => {
  const box = createSecretBox(KEY.toString('hex'));

  it('when a secret is sealed and opened with the same key and context, then it comes back, and the text shows neither', () => {
    const sealed = box.seal('Zq8~top-secret', 'ctx-1');
    expect(sealed).toMatch(/^v1\.[0-9a-f]{8}\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('top-secret');
    expect(sealed).toContain(keyFingerprint(KEY));
    expect(box.open(sealed, 'ctx-1')).toBe('Zq8~top-secret');
  });

  it('when the same secret is sealed twice, then the ciphertexts differ (a fresh IV each time)', () => {
    expect(box.seal('same', 'c')).not.toBe(box.seal('same', 'c'));
  });

  const failures: { name: string; open: () => string; code: string }[] = [
    { name: 'another key opens it', open: () => createSecretBox(randomBytes(32).toString('base64')).open(box.seal('s', 'c'), 'c'), code: 'secret-key-mismatch' },
    { name: 'the context differs (copied onto another row)', open: () => box.open(box.seal('s', 'row-a'), 'row-b'), code: 'secret-unreadable' },
    { name: 'a ciphertext byte was altered', open: () => {
      const parts = box.seal('secret value', 'c').split('.');
      const ct = Buffer.from(parts[4]!, 'base64url'); ct[0] ^= 1; parts[4] = ct.toString('base64url');
      return box.open(parts.join('.'), 'c');
    }, code: 'secret-unreadable' },
    { name: 'the text is not a sealed secret', open: () => box.open('plain-text', 'c'), code: 'secret-unreadable' },
    { name: 'no key is configured', open: () => createSecretBox(undefined).open(box.seal('s', 'c'), 'c'), code: 'secret-key-missing' },
  ];
  for (const f of failures) {
    it(`when ${f.name}, then opening fails with ${f.code}, never with wrong plaintext`, () => {
      try { f.open(); expect.unreachable(); } catch (e) {
        expect((e as SecretKeyError).code).toBe(f.code);
      }
    });
  }

  it('when another key opens a secret, then the error names both key fingerprints and what to do', () => {
    const other = randomBytes(32);
    expect(() => createSecretBox(other.toString('hex')).open(box.seal('s', 'c'), 'c'))
      .toThrow(new RegExp(`key ${keyFingerprint(KEY)}.*current key is ${keyFingerprint(other)}.*save the connection again`));
  });
});
