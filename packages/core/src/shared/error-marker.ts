/**
 * The marker every codex-orchestrator error class carries: a `Symbol.for` key, so the same symbol
 * in every copy of the package, which lets `isInstance` answer right across duplicated installs
 * and lets an adapter's error class join the hierarchy (see `errors.ts`).
 */

/** Prefix of the `Symbol.for` key every error class of codex-orchestrator is marked with. */
export const errorMarkerPrefix = 'codex-orchestrator.error';

/**
 * True when `value` carries the marker `symbol` (a `Symbol.for` key, so the same in every copy of
 * the package). The check every class's static `isInstance` is built on.
 */
export function hasErrorMarker(value: unknown, symbol: symbol): boolean {
  return (
    value !== null &&
    typeof value === 'object' &&
    symbol in value &&
    (value as Record<symbol, unknown>)[symbol] === true
  );
}

/**
 * Sets the marker `symbol` on the prototype of `errorClass` (called from each class's static
 * block), so every instance, and an object made from the prototype, carries it.
 */
export function markErrorClass(errorClass: abstract new (...args: never[]) => Error, symbol: symbol): void {
  Object.defineProperty(errorClass.prototype, symbol, { value: true });
}
