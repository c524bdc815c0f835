import { describe, it, expect } from 'vitest';
import { mine } from '../../src/suggestions/mine.js';
import { normaliseRow } from '../../src/fields/index.js';
import { compileRule } from '../../src/rules/language.js';
import { labelledCorpus, sample } from '../support/labelled-corpus.js';

describe('mining exclusions from verdicts', () => {
  const corpus = labelledCorpus(20_000).map((row, i) => ({ ...row, id: `h${i}`, fields: normaliseRow('DeviceNetworkEvents', row.raw).fields }));
  const labelled = sample(corpus, 0.05);
  const benign = labelled.filter((h) => !h.malicious), malicious = labelled.filter((h) => h.malicious);

  it('when 5 % of a mixed corpus has verdicts, then the suggestions, run through the language, suppress >= 85 % of all benign hits and no malicious hit', () => {
    const suggestions = mine(benign, malicious, { minSupport: Math.max(5, Math.ceil(benign.length * 0.01)), limit: 10 });
    expect(suggestions.length).toBeGreaterThan(2);
    const rules = suggestions.map((s) => { const r = compileRule(s.expression); if (!r) throw new Error(`not valid: ${s.expression}`); return r; });
    const suppressed = (h: (typeof corpus)[number]) => rules.some((r) => r.holds({ fields: h.fields, raw: h.raw }));
    const allBenign = corpus.filter((h) => !h.malicious), allMalicious = corpus.filter((h) => h.malicious);
    const share = allBenign.filter(suppressed).length / allBenign.length;
    console.log(`mined ${suggestions.length} suggestions from ${benign.length} benign / ${malicious.length} malicious verdicts: `
      + `${(share * 100).toFixed(1)} % of ${allBenign.length} benign hits suppressed, ${allMalicious.filter(suppressed).length} of ${allMalicious.length} malicious`);
    expect(share).toBeGreaterThanOrEqual(0.85);
    expect(allMalicious.filter(suppressed)).toEqual([]);
  });

  it('when the helpdesk subnet is shared with an intruder, then no suggestion is the subnet alone; the one that covers it names the parent process', () => {
    const suggestions = mine(benign, malicious, { minSupport: 10, limit: 10 });
    expect(suggestions.map((s) => s.expression)).not.toContain('destination.ip in ("10.20.0.0/16")');
    const helpdesk = suggestions.find((s) => s.expression.includes('10.20.') || s.expression.includes('hd-ws-'));
    expect(helpdesk?.expression).toContain('process.parent.name == "explorer.exe"');
    expect(helpdesk?.reason).toMatch(/launched from explorer\.exe/);
  });

  it('when a condition holds for a single malicious verdict, then every candidate containing it alone is discarded', () => {
    const one = [{ id: 'm', fields: { 'process.parent.name': 'explorer.exe', 'destination.ip': '10.20.1.1' } }];
    const pos = Array.from({ length: 20 }, (_, i) => ({ id: `b${i}`, fields: { 'process.parent.name': 'explorer.exe', 'destination.ip': `10.20.1.${i + 2}` } }));
    expect(mine(pos, one, { minSupport: 5, limit: 5 })).toEqual([]);
    expect(mine(pos, [], { minSupport: 5, limit: 5 }).map((s) => s.covered)).toEqual([20]);
  });
});
