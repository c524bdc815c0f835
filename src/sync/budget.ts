/**
 * Sentinel's watchlist item changes are budgeted per workspace and calendar month; Quell counts the changes it has
 * applied (dry runs apply none) against the month they started in, in UTC.
 */
export const MONTHLY_CHANGE_BUDGET = 100_000;

export function monthOf(at: Date): { month: string; start: Date } {
  const start = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
  return { month: start.toISOString().slice(0, 7), start };
}

export interface Budget { month: string; limit: number; used: number; remaining: number }

export const budgetOf = (month: string, limit: number, used: number): Budget =>
  ({ month, limit, used, remaining: Math.max(0, limit - used) });
