/**
 * Runs critical sections one at a time per key (a session id). The embedded FerretDB applies
 * concurrent updates to one document without isolation (parallel `$inc`s lose increments), so
 * every read-modify-write of a session goes through this lock; see docs/database.md.
 */
export abstract class KeyedLock {
  abstract run<T>(key: string, criticalSection: () => Promise<T>): Promise<T>;
}
