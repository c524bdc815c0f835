import { describe, it, expect } from 'vitest';
import { DEFAULT_RETRY, delayBefore, isRetryable, retryAfterMs, SourceError, withRetries } from '../../src/schedules/retry.js';
import { isoDuration } from '../../src/schedules/iso-duration.js';

const headers = (h: Record<string, string>) => (name: string) => h[name];

describe('retry policy (pure)', () => {
  it('when Retry-After is seconds, an HTTP date, retry-after-ms or unreadable, then the wait is read accordingly', () => {
    const now = Date.parse('2026-12-03T10:00:00Z');
    expect(retryAfterMs(headers({ 'retry-after': '7' }), now)).toBe(7000);
    expect(retryAfterMs(headers({ 'retry-after': 'Thu, 03 Dec 2026 10:00:30 GMT' }), now)).toBe(30_000);
    expect(retryAfterMs(headers({ 'retry-after': 'Thu, 03 Dec 2026 09:00:00 GMT' }), now)).toBe(0);
    expect(retryAfterMs(headers({ 'retry-after-ms': '1500', 'retry-after': '9' }), now)).toBe(1500);
    expect(retryAfterMs(headers({ 'x-ms-retry-after-ms': '250' }), now)).toBe(250);
    expect(retryAfterMs(headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(retryAfterMs(headers({}), now)).toBeUndefined();
  });

  it('when a failure is throttling, a server fault or a network blip, then it is retryable; a 4xx, a 501 or any other error is not', () => {
    expect([429, 500, 502, 503, 504].map((status) => isRetryable(new SourceError('x', { status })))).toEqual([true, true, true, true, true]);
    expect([400, 401, 403, 404, 501].map((status) => isRetryable(new SourceError('x', { status })))).toEqual([false, false, false, false, false]);
    expect(isRetryable(new SourceError('x', { transient: true }))).toBe(true);
    expect(isRetryable(new SourceError('x'))).toBe(false);
    expect(isRetryable(new Error('x'))).toBe(false);
  });

  it('when the server names no wait, then backoff doubles from the base up to the cap; a named wait is taken as given', () => {
    const p = { maxAttempts: 10, baseDelayMs: 1000, maxDelayMs: 5000 };
    expect([1, 2, 3, 4].map((a) => delayBefore(new SourceError('x', { status: 503 }), a, p))).toEqual([1000, 2000, 4000, 5000]);
    expect(delayBefore(new SourceError('x', { status: 429, retryAfterMs: 42 }), 3, p)).toBe(42);
  });

  it('when every attempt fails with a retryable error, then exactly maxAttempts are made and the last error says so', async () => {
    const waits: number[] = [];
    let calls = 0;
    const run = withRetries(async () => { calls++; throw new SourceError('busy', { status: 503 }); }, DEFAULT_RETRY, async (ms) => { waits.push(ms); });
    await expect(run).rejects.toThrow('gave up after 4 attempts: busy');
    expect(calls).toBe(4);
    expect(waits).toEqual([2000, 4000, 8000]);
  });

  it('when an attempt fails with a non-retryable error, then it is thrown at once, unchanged', async () => {
    const err = new SourceError('bad query', { status: 400 });
    let calls = 0;
    await expect(withRetries(async () => { calls++; throw err; }, DEFAULT_RETRY, async () => {})).rejects.toBe(err);
    expect(calls).toBe(1);
  });

  it('when minutes are written as ISO 8601 durations, then they take the usual form', () => {
    expect([5, 60, 90, 1440, 1505, 10080, 43200].map(isoDuration)).toEqual(['PT5M', 'PT1H', 'PT1H30M', 'P1D', 'P1DT1H5M', 'P7D', 'P30D']);
    expect(() => isoDuration(0)).toThrow(RangeError);
  });
});
