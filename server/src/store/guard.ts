import { RoundClosed, VersionConflict, type Store } from './store.js';

/**
 * The store could not be read or written (database down, connection lost, disk full).
 * Whatever asked gets the `unavailable` error and nothing changes in memory.
 */
export class StoreUnavailable extends Error {
  constructor(cause: unknown) {
    super(`store unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'StoreUnavailable';
  }
}

/** Answers about the data (a conflict, a closed round) go through as they are; any other failure is the engine's. */
const wrap = (err: unknown) =>
  err instanceof VersionConflict || err instanceof RoundClosed || err instanceof StoreUnavailable ? err : new StoreUnavailable(err);

/** Every failure of the store (and of its diary, workspaces, projects and interview answers) becomes a `StoreUnavailable`, whatever the engine threw. */
export function guardStore(store: Store): Store {
  return guarded(store, new Set(['diary', 'workspaces', 'projects', 'interview']));
}

function guarded<T extends object>(target: T, nested: Set<string>): T {
  const children = new Map<PropertyKey, unknown>();
  return new Proxy(target, {
    get(obj, prop) {
      const value = Reflect.get(obj, prop, obj) as unknown;
      if (typeof prop === 'string' && nested.has(prop) && value && typeof value === 'object') {
        if (!children.has(prop)) children.set(prop, guarded(value, new Set()));
        return children.get(prop);
      }
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        try {
          return Promise.resolve((value as (...a: unknown[]) => unknown).apply(obj, args)).catch((err: unknown) => {
            throw wrap(err);
          });
        } catch (err) {
          return Promise.reject(wrap(err));
        }
      };
    },
  });
}
