/**
 * A unique index refused the write: E11000, or, from FerretDB on findAndModify, an InternalError
 * naming SQLite's unique constraint.
 */
export function isDuplicateKeyError(err: unknown): boolean {
  const e = err as { code?: number; message?: string } | undefined;
  return e?.code === 11000 || /UNIQUE constraint failed/.test(e?.message ?? '');
}
