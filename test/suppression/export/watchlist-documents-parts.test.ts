import { describe, it, expect } from 'vitest';
import {
  buildWatchlistArmTemplate, buildWatchlistArmTemplateOfParts, buildWatchlistCsv, MAX_ARM_TEMPLATE_BYTES,
} from '../../../src/suppression/export/index.js';
import { TRICKY_ENTRIES, TRICKY_LIST, TRICKY_META } from './tricky-list.js';

const csv = buildWatchlistCsv(TRICKY_LIST, TRICKY_ENTRIES);

describe('buildWatchlistArmTemplateOfParts', () => {
  it('when parts are given, then one template deploys each as its own watchlist resource, in part order', () => {
    const parts = [
      { meta: { ...TRICKY_META, displayName: 'Quell tricky entries part 1 of 2' }, csv },
      { meta: { ...TRICKY_META, alias: 'quell-tricky-fp_2', displayName: 'Quell tricky entries part 2 of 2' }, csv: 'SearchKey\r\n' },
    ];
    const template = buildWatchlistArmTemplateOfParts(parts);
    expect(template.resources.map((r) => r.name)).toEqual([
      "[concat(parameters('workspace'), '/Microsoft.SecurityInsights/quell-tricky-fp')]",
      "[concat(parameters('workspace'), '/Microsoft.SecurityInsights/quell-tricky-fp_2')]",
    ]);
    expect(template.resources.map((r) => r.properties.displayName)).toEqual(parts.map((p) => p.meta.displayName));
    expect(template.resources[1]!.properties).toMatchObject({ rawContent: 'SearchKey\r\n', source: 'quell-tricky-fp_2.csv' });
  });

  it('when there is one part, then the template is the one-watchlist template', () => {
    expect(buildWatchlistArmTemplateOfParts([{ meta: TRICKY_META, csv }])).toEqual(buildWatchlistArmTemplate(TRICKY_META, csv));
  });

  it('when the ARM limit is read, then it is 4 MB in decimal bytes', () => {
    expect(MAX_ARM_TEMPLATE_BYTES).toBe(4_000_000);
  });
});
