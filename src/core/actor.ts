export const ROLES = ['viewer', 'analyst', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is acting: a signed-in user, a token's owner, or Quell itself (seeding, expiry sweeps). */
export interface Actor {
  id: string | null;
  name: string;
  role: Role;
  via: 'token' | 'session' | 'system';
}

export const SYSTEM_ACTOR: Actor = { id: null, name: 'quell', role: 'admin', via: 'system' };

const RANK: Record<Role, number> = { viewer: 1, analyst: 2, admin: 3 };

export function hasRole(actor: Actor, needed: Role): boolean {
  return RANK[actor.role] >= RANK[needed];
}
