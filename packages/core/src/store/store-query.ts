/**
 * Query helpers shared by the built-in stores, so both answer a query the same way: newest
 * first, bounded limits, ISO time windows.
 */

/** Default and largest page of a list query. */
export const defaultListLimit = 50;
export const maxListLimit = 500;
/** Default page of an event read and the default cap of a run's event log. */
export const defaultEventReadLimit = 1_000;
export const defaultMaxEventsPerRun = 2_000;

/** A list limit clamped to 1..500 (default 50). */
export function listLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return defaultListLimit;
  return Math.min(maxListLimit, Math.max(1, Math.floor(limit)));
}

/** An event read limit clamped to 1..1,000 (default 1,000). */
export function eventLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return defaultEventReadLimit;
  return Math.min(defaultEventReadLimit, Math.max(1, Math.floor(limit)));
}

/** Whether an ISO `createdAt` falls in the `[since, until)` window of a query. */
export function inWindow(
  createdAt: string,
  query: { since?: string | undefined; until?: string | undefined },
): boolean {
  if (query.since !== undefined && createdAt < query.since) return false;
  if (query.until !== undefined && createdAt >= query.until) return false;
  return true;
}

/** Current time as an ISO string; timestamps compare correctly as strings. */
export function nowIso(): string {
  return new Date().toISOString();
}

/** A deep copy through JSON: stored data is JSON-safe and callers never share objects with the store. */
export function jsonCopy<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}
