// What the fake ARM server holds: watchlists and their items per workspace, in the shapes of Microsoft's REST API
// examples (azure-rest-api-specs, specification/securityinsights/.../stable/2024-09-01/examples/watchlists/:
// GetWatchlistByAlias.json, CreateWatchlist.json, GetWatchlistItems.json, CreateWatchlistItem.json).
import { randomUUID } from 'node:crypto';

export interface FakeItem { id: string; itemsKeyValue: Record<string, unknown>; created: string; updated: string; etag: string }
export interface FakeWatchlist { alias: string; properties: Record<string, unknown>; items: Map<string, FakeItem>; created: string; updated: string; etag: string }

const TENANT = 'f686d426-8d16-42db-81b7-ab578e110ccd';
const USER = { objectId: '2046feea-040d-4a46-9e2b-91c2941bfa70', email: 'quell@example.test', name: 'quell test' };
const etag = () => `"${randomUUID()}"`;

export function workspacePath(sub: string, rg: string, ws: string): string {
  return `/subscriptions/${sub}/resourceGroups/${rg}/providers/Microsoft.OperationalInsights/workspaces/${ws}`;
}

export function watchlistBody(base: string, w: FakeWatchlist) {
  return {
    id: `${base}/providers/Microsoft.SecurityInsights/watchlists/${w.alias}`, name: w.alias, etag: w.etag, type: 'Microsoft.SecurityInsights/Watchlists',
    properties: {
      watchlistId: w.properties.watchlistId, ...w.properties, created: w.created, updated: w.updated, createdBy: USER, updatedBy: USER,
      watchlistType: 'watchlist', watchlistAlias: w.alias, isDeleted: false, tenantId: TENANT,
    },
  };
}

export function itemBody(base: string, alias: string, it: FakeItem) {
  return {
    id: `${base}/providers/Microsoft.SecurityInsights/Watchlists/${alias}/WatchlistItems/${it.id}`, name: it.id, etag: it.etag,
    type: 'Microsoft.SecurityInsights/Watchlists/WatchlistItems',
    properties: {
      watchlistItemType: 'watchlist-item', watchlistItemId: it.id, tenantId: TENANT, isDeleted: false, created: it.created, updated: it.updated,
      createdBy: USER, updatedBy: USER, itemsKeyValue: it.itemsKeyValue, entityMapping: {},
    },
  };
}

/** Watchlists by workspace path (lower-cased: ARM paths are case-insensitive) and alias (lower-cased too). */
export class FakeArmState {
  readonly workspaces = new Map<string, Map<string, FakeWatchlist>>();

  private lists(base: string) {
    const k = base.toLowerCase();
    let m = this.workspaces.get(k);
    if (!m) this.workspaces.set(k, (m = new Map()));
    return m;
  }

  watchlist(base: string, alias: string): FakeWatchlist | undefined {
    return this.lists(base).get(alias.toLowerCase());
  }

  allWatchlists(base: string): FakeWatchlist[] {
    return [...this.lists(base).values()];
  }

  putWatchlist(base: string, alias: string, properties: Record<string, unknown>): { created: boolean; w: FakeWatchlist } {
    const now = new Date().toISOString();
    const old = this.watchlist(base, alias);
    const w: FakeWatchlist = old
      ? { ...old, properties: { ...old.properties, ...properties }, updated: now, etag: etag() }
      : { alias, properties: { watchlistId: randomUUID(), ...properties }, items: new Map(), created: now, updated: now, etag: etag() };
    this.lists(base).set(alias.toLowerCase(), w);
    return { created: !old, w };
  }

  deleteWatchlist(base: string, alias: string): boolean {
    return this.lists(base).delete(alias.toLowerCase());
  }

  putItem(w: FakeWatchlist, id: string, itemsKeyValue: Record<string, unknown>): { created: boolean; item: FakeItem } {
    const now = new Date().toISOString();
    const old = w.items.get(id.toLowerCase());
    const item: FakeItem = { id: old?.id ?? id, itemsKeyValue, created: old?.created ?? now, updated: now, etag: etag() };
    w.items.set(id.toLowerCase(), item);
    return { created: !old, item };
  }

  /** Seeds an item directly (as an earlier CSV upload or a person in the portal would have made it). */
  seedItem(base: string, alias: string, id: string, itemsKeyValue: Record<string, unknown>): void {
    const w = this.watchlist(base, alias) ?? this.putWatchlist(base, alias, { displayName: alias, provider: 'Quell', source: 'Quell', itemsSearchKey: 'SearchKey' }).w;
    this.putItem(w, id, itemsKeyValue);
  }
}
