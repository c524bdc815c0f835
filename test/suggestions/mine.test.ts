import { describe, it, expect } from 'vitest';
import { mine } from '../../src/suggestions/mine.js';
import { atomsOf } from '../../src/suggestions/atoms.js';
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

  it('when the backup account is abused in office hours, then the suggestion that covers the nightly backup names its hours', () => {
    const suggestions = mine(benign, malicious, { minSupport: Math.max(5, Math.ceil(benign.length * 0.01)), limit: 10 });
    const backup = suggestions.find((s) => s.examples.some((id) => corpus.find((h) => h.id === id)?.population === 'night-backup'));
    expect(backup?.expression).toMatch(/event\.hour in \(0, 1, 2, 3\)/);
    expect(backup?.reason).toMatch(/between 00:00 and 04:00 UTC/);
  });

  it('when a condition holds for a single malicious verdict, then every candidate containing it alone is discarded', () => {
    const one = [{ id: 'm', fields: { 'process.parent.name': 'explorer.exe', 'destination.ip': '10.20.1.1' } }];
    const pos = Array.from({ length: 20 }, (_, i) => ({ id: `b${i}`, fields: { 'process.parent.name': 'explorer.exe', 'destination.ip': `10.20.1.${i + 2}` } }));
    expect(mine(pos, one, { minSupport: 5, limit: 5 })).toEqual([]);
    expect(mine(pos, [], { minSupport: 5, limit: 5 }).map((s) => s.covered)).toEqual([20]);
  });
});

describe('mining by time of day and weekday', () => {
  const at = (day: number, hour: number) => ({ 'event.hour': hour, 'event.weekday': ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'][day] });
  const svc = (i: number, time: Record<string, unknown>) => ({ id: `h${i}`, fields: { 'user.name': 'CORP\\svc-backup', 'process.parent.name': 'taskeng.exe', ...time } });

  it('when a service account\'s benign runs keep a night window and its malicious ones do not, then the suggestion names the 4-hour block', () => {
    const benign = Array.from({ length: 60 }, (_, i) => svc(i, at(i % 7, i % 4)));
    const malicious = Array.from({ length: 6 }, (_, i) => svc(100 + i, at(i % 7, 10 + i)));
    const [top] = mine(benign, malicious, { minSupport: 10, limit: 3 });
    expect(top?.expression).toContain('event.hour in (0, 1, 2, 3)');
    expect(top?.reason).toMatch(/between 00:00 and 04:00 UTC/);
    expect(top?.covered).toBe(60);
  });

  it('when benign and malicious differ only by weekend, then the suggestion says weekends', () => {
    const benign = Array.from({ length: 40 }, (_, i) => svc(i, at(i % 2 === 0 ? 0 : 6, i % 24)));
    const malicious = Array.from({ length: 5 }, (_, i) => svc(100 + i, at(1 + i, 12)));
    const [top] = mine(benign, malicious, { minSupport: 10, limit: 3 });
    expect(top?.expression).toContain('event.weekday in ("Saturday", "Sunday")');
    expect(top?.reason).toMatch(/at weekends/);
  });

  it('when benign hits are spread evenly over the day and week, then no suggestion names a time, though the time conditions are frequent', () => {
    const benign = Array.from({ length: 24 * 7 * 2 }, (_, i) => svc(i, at(i % 7, i % 24)));
    const suggestions = mine(benign, [], { minSupport: 10, limit: 5 });
    expect(suggestions.map((s) => s.expression)).toEqual(['process.parent.name == "taskeng.exe"']);
    // With a malicious run at every hour of Wednesdays, each other weekday is safe but slices an even spread: that is
    // no explanation, so nothing is suggested rather than six "on Mondays" rules.
    const malicious = Array.from({ length: 24 }, (_, h) => svc(1000 + h, at(3, h)));
    expect(mine(benign, malicious, { minSupport: 10, limit: 5 })).toEqual([]);
  });

  it('when any hit\'s conditions are checked with the language, then each holds exactly where mining says it holds', () => {
    const corpus = labelledCorpus(300, 5).map((r, i) => ({ id: `h${i}`, fields: normaliseRow('DeviceNetworkEvents', { ...r.raw, Timestamp: new Date(Date.UTC(2026, 10, 1) + i * 3_917_000).toISOString() }).fields }));
    let checked = 0;
    for (const h of corpus.slice(0, 40)) {
      for (const a of atomsOf(h.fields)) {
        const rule = compileRule(a.expression);
        if (!rule) throw new Error(`not valid: ${a.expression}`);
        for (const other of corpus) { expect(rule.holds({ fields: other.fields, raw: {} }), `${a.expression} on ${other.id}`).toBe(a.test(other.fields)); checked++; }
      }
    }
    expect(checked).toBeGreaterThan(40 * 10 * 300);
  });
});
