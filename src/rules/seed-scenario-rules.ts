import type { Services } from '../services.js';
import { SYSTEM_ACTOR } from '../core/actor.js';
import { expressionOfFilterText } from './language.js';

/**
 * SPEC §5: every documented scenario of the seed hunts gets its exclusion rule, scoped to both seed hunts, with
 * the filter text exactly as documented. A rule whose lint says it holds for almost everything (only negations,
 * like the first seed scenario) is stored disabled with that warning, not silently "fixed".
 */
export async function seedScenarioRules(services: Services, seedHuntIds: readonly string[]): Promise<number> {
  const scenarios = await services.hunts.scenariosWithoutRule(seedHuntIds);
  let created = 0;
  for (const s of scenarios) {
    const { expression, remark } = expressionOfFilterText(s.filterText);
    const scope = { hunts: [...seedHuntIds] };
    const check = await services.rules.validate(expression, scope);
    if (!check.ok) {
      services.logger.warn({ scenario: s.title, errors: check.errors }, 'seed scenario filter does not parse; no rule created');
      continue;
    }
    const broad = check.warnings.some((w) => w.code === 'only-negations');
    const rule = await services.rules.create(SYSTEM_ACTOR, {
      name: s.title,
      description: [s.description, remark ? `Documented condition: ${remark}` : null, `Documented exclusion scenario of the hunt; filter as written: ${s.filterText}`]
        .filter(Boolean).join('\n'),
      expression, scope, action: 'suppress', enabled: !broad,
      justification: broad ? 'Seeded disabled: the documented filter holds for almost every hit (see its warning).' : 'Documented false-positive scenario.',
    });
    await services.hunts.linkScenarioRule(s.id, rule.id);
    created++;
  }
  return created;
}
