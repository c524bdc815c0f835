import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SYSTEM_ACTOR } from './core/actor.js';
import { exclusively } from './core/lease.js';
import type { Services } from './services.js';
import { seedScenarioRules } from './rules/seed-scenario-rules.js';
import { seedSuppressionLists } from './suppression/seed-lists.js';

export const SEEDS_DIR = fileURLToPath(new URL('../prisma/seeds/', import.meta.url));

export interface SeedResult {
  /** Set only on the first start of an empty database: the generated admin password, to print once. */
  adminPassword: string | null;
  huntsImported: string[];
}

/**
 * Brings a database to the state SPEC §2 promises: both seed hunts with their documented scenarios.
 * A seed hunt that already exists is left alone, so an admin's later edits survive restarts.
 */
export async function seed(services: Services): Promise<SeedResult> {
  // Processes starting together on a fresh database take turns: the first seeds, the others find it done.
  return exclusively(services.db, 'seed', () => seedNow(services));
}

async function seedNow(services: Services): Promise<SeedResult> {
  const adminPassword = await services.accounts.ensureFirstAdmin(SYSTEM_ACTOR);
  const huntsImported: string[] = [];
  const seedHuntIds: string[] = [];
  for (const file of readdirSync(SEEDS_DIR).filter((f) => f.endsWith('.txt')).sort()) {
    const text = readFileSync(join(SEEDS_DIR, file), 'utf8');
    const existing = services.hunts.peekId(text);
    if (existing) seedHuntIds.push(existing);
    if (existing && (await services.hunts.findRaw(existing))) continue;
    const { hunt } = await services.hunts.importHunt(SYSTEM_ACTOR, text, 'page');
    huntsImported.push(hunt.id);
  }
  await seedScenarioRules(services, seedHuntIds);
  await seedSuppressionLists(services, seedHuntIds);
  return { adminPassword, huntsImported };
}
