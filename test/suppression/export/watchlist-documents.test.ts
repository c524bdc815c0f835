import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildWatchlistArmTemplate, buildWatchlistCsv, buildWatchlistPutBody, watchlistRestPath,
} from '../../../src/suppression/export/index.js';
import { TRICKY_ENTRIES, TRICKY_LIST, TRICKY_META } from './tricky-list.js';

const GOLDEN = join(import.meta.dirname, '../../fixtures/export');
const golden = (name: string) => JSON.parse(readFileSync(join(GOLDEN, name), 'utf8'));
const csv = buildWatchlistCsv(TRICKY_LIST, TRICKY_ENTRIES);

describe('buildWatchlistPutBody', () => {
  it('when the tricky list is exported, then the body equals the golden file', () => {
    expect(buildWatchlistPutBody(TRICKY_META, csv)).toEqual(golden('tricky.watchlist.json'));
  });

  it('when a body is built, then it carries the Watchlists PUT properties with the CSV unchanged as rawContent', () => {
    const { properties } = buildWatchlistPutBody({ alias: 'abc', displayName: 'A B C' }, csv);
    expect(properties).toEqual({
      displayName: 'A B C', provider: 'Quell', source: 'Local file', sourceType: 'Local file', itemsSearchKey: 'SearchKey',
      rawContent: csv, contentType: 'text/csv', numberOfLinesToSkip: 0, description: '', labels: [],
    });
  });

  it('when labels are given, then the body has its own copy', () => {
    const labels = ['a'];
    const body = buildWatchlistPutBody({ alias: 'abc', displayName: 'abc', labels }, csv);
    body.properties.labels.push('b');
    expect(labels).toEqual(['a']);
  });

  it('when the REST path is built, then the alias is one encoded path segment', () => {
    expect(watchlistRestPath('my list')).toBe('providers/Microsoft.SecurityInsights/watchlists/my%20list?api-version=2024-09-01');
  });
});

describe('buildWatchlistArmTemplate', () => {
  it('when the tricky list is exported, then the template equals the golden file', () => {
    expect(buildWatchlistArmTemplate(TRICKY_META, csv)).toEqual(golden('tricky.arm.json'));
  });

  it('when a template is built, then it deploys the watchlist the way Microsoft\'s Sentinel content does', () => {
    const template = buildWatchlistArmTemplate(TRICKY_META, csv);
    expect(template.parameters.workspace.type).toBe('string');
    expect(template.resources).toHaveLength(1);
    const [resource] = template.resources;
    expect(resource).toMatchObject({
      type: 'Microsoft.OperationalInsights/workspaces/providers/Watchlists',
      name: "[concat(parameters('workspace'), '/Microsoft.SecurityInsights/quell-tricky-fp')]",
      apiVersion: '2022-08-01', kind: '',
    });
    expect(resource!.properties).toMatchObject({ itemsSearchKey: 'SearchKey', numberOfLinesToSkip: 0, provider: 'Quell', rawContent: csv });
    expect(resource!.properties.rawContent.split('\r\n')).toHaveLength(csv.split('\r\n').length);
  });

  it.each([
    ['a display name in brackets is escaped', { displayName: '[Ammyy]' }, (p: Record<string, unknown>) => p.displayName, '[[Ammyy]'],
    ['a description that only starts with [ is left alone', { description: '[x] y' }, (p: Record<string, unknown>) => p.description, '[x] y'],
    ['an expression-like description is escaped', { description: "[deleteResource('x')]" }, (p: Record<string, unknown>) => p.description, "[[deleteResource('x')]"],
    ['a label in brackets is escaped', { labels: ['[a]', 'b'] }, (p: Record<string, unknown>) => p.labels, ['[[a]', 'b']],
  ])('when %s, then ARM cannot read user text as an expression', (_case, over, pick, expected) => {
    const template = buildWatchlistArmTemplate({ ...TRICKY_META, ...over }, csv);
    expect(pick(template.resources[0]!.properties as Record<string, unknown>)).toEqual(expected);
  });

  it('when an alias holds a quote, then it is doubled inside the name expression', () => {
    const template = buildWatchlistArmTemplate({ alias: "o'x", displayName: 'abc' }, csv);
    expect(template.resources[0]!.name).toBe("[concat(parameters('workspace'), '/Microsoft.SecurityInsights/o''x')]");
  });
});
