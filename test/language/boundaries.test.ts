import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = join(import.meta.dirname, '../../src/language');

describe('the language stands alone', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.ts'));
  it('when its sources are read, then they import only each other and npm packages (nothing from src/fields or src/kusto)', () => {
    for (const f of files) {
      const specifiers = [...readFileSync(join(DIR, f), 'utf8').matchAll(/^\s*(?:import|export)\b[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1]);
      for (const s of specifiers) expect(s.startsWith('./') || !s.startsWith('.'), `${f} imports ${s}`).toBe(true);
    }
  });
});
