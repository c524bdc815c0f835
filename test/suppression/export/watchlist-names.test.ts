import { describe, it, expect } from 'vitest';
import { validateWatchlistName } from '../../../src/suppression/export/index.js';

describe('validateWatchlistName', () => {
  const valid = ['abc', 'a1b', 'rmm-ammyy-netconn-fp', 'Ammyy netconn known benign', 'a_b-c d9', 'A'.repeat(64), '123'];
  const invalid: [string, unknown, RegExp][] = [
    ['too short', 'ab', /3 to 64/],
    ['empty', '', /3 to 64/],
    ['too long', 'a'.repeat(65), /3 to 64 .*65/],
    ['leading hyphen', '-bad', /begin with a letter or digit/],
    ['leading space', ' abc', /begin with a letter or digit/],
    ['leading underscore', '_abc', /begin with a letter or digit/],
    ['trailing hyphen', 'bad-', /end with a letter or digit/],
    ['trailing space', 'abc ', /end with a letter or digit/],
    ['a dot inside', 'a.b.c', /letters, digits, spaces, hyphens and underscores .*"\."/],
    ['a quote inside', "o'brien", /"'"/],
    ['a slash inside', 'a/b/c', /"\/"/],
    ['a line break inside', 'ab\ncd', /"\\n"/],
    ['a non-ASCII letter at the start', 'ébc', /begin with a letter or digit/],
    ['a non-ASCII letter inside', 'aéc', /"é"/],
    ['not a string', 42, /must be a string/],
  ];

  it.each(valid)('when the name is %j, then it is accepted as alias and display name', (name) => {
    expect(validateWatchlistName('alias', name)).toBeNull();
    expect(validateWatchlistName('displayName', name)).toBeNull();
  });

  it.each(invalid)('when the name has %s, then it is refused with a reason', (_case, name, reason) => {
    expect(validateWatchlistName('alias', name)).toMatch(reason);
    expect(validateWatchlistName('displayName', name)).toMatch(reason);
  });

  it('when an alias is refused, then the message says which field it is about', () => {
    expect(validateWatchlistName('alias', 'ab')).toMatch(/alias/);
    expect(validateWatchlistName('displayName', 'ab')).toMatch(/display name/);
  });
});
