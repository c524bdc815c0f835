import type { Services } from '../services.js';
import { SYSTEM_ACTOR } from '../core/actor.js';

/** A watchlist alias from a hunt name: lower-case words joined by hyphens, alphanumeric at both ends, at most 64. */
export function aliasFor(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return `quell-${slug}`.slice(0, 64).replace(/[^a-z0-9]+$/, '');
}

/** SPEC §7 / issue: a fresh database has one suppression list per seed hunt, keyed on the hunt's group keys. */
export async function seedSuppressionLists(services: Services, seedHuntIds: readonly string[]): Promise<number> {
  let created = 0;
  const existing = await services.lists.lists();
  for (const id of seedHuntIds) {
    if (existing.some((l) => l.hunts.includes(id))) continue;
    const hunt = await services.hunts.getHunt(id);
    if (!hunt.groupKeys.length) continue;
    await services.lists.createList(SYSTEM_ACTOR, {
      alias: aliasFor(hunt.name),
      displayName: `${hunt.name.replace(/^Remote Management and Monitoring tool - /, '')} known benign`.slice(0, 64).trim(),
      description: `Keys of hits analysts judged benign for the hunt "${hunt.name}". Quell adds entries from benign verdicts.`,
      hunts: [id],
      entryLifetimeDays: 90,
      requireApproval: false,
    });
    created++;
  }
  return created;
}
