interface Entry<V> {
  value: V;
  expiresAt: number;
}

/**
 * Remembers what `load` answered for a key for `ttlMs` (0: never), counted from the start of the
 * read that answered, for at most `maxEntries` keys (the least recently used goes first). Reads that
 * arrive while one is under way share it. `null` answers and failed reads are not remembered.
 * `invalidate` forgets a key, and a read that was under way then is neither shared nor stored
 * afterwards, so it cannot put back what was true before the change.
 */
export class ReadThroughCache<V> {
  /** In least-recently-used order: a hit moves its entry to the end, the first one is evicted. */
  private readonly entries = new Map<string, Entry<V>>();
  private readonly loading = new Map<string, Promise<V | null>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
  ) {}

  get(key: string, load: (key: string) => Promise<V | null>): Promise<V | null> {
    if (this.ttlMs === 0) return load(key);
    const entry = this.entries.get(key);
    if (entry) {
      this.entries.delete(key);
      if (entry.expiresAt > Date.now()) {
        this.entries.set(key, entry);
        return Promise.resolve(entry.value);
      }
    }
    return this.loading.get(key) ?? this.load(key, load);
  }

  invalidate(key: string): void {
    this.entries.delete(key);
    this.loading.delete(key);
  }

  private load(key: string, load: (key: string) => Promise<V | null>): Promise<V | null> {
    const expiresAt = Date.now() + this.ttlMs;
    const pending: Promise<V | null> = load(key)
      .then((value) => {
        if (value !== null && this.loading.get(key) === pending) this.remember(key, { value, expiresAt });
        return value;
      })
      .finally(() => {
        if (this.loading.get(key) === pending) this.loading.delete(key);
      });
    this.loading.set(key, pending);
    return pending;
  }

  private remember(key: string, entry: Entry<V>): void {
    this.entries.set(key, entry);
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
  }
}
