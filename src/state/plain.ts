/**
 * A deep copy as plain JSON: what the stores keep and what crosses to the worker (Solid store
 * proxies and shared references must not). Everything it is used on is JSON by definition.
 */
export function copy<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
