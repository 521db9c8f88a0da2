/** Trimmed and lower-cased: how emails are compared (customer history, logins). */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

type TransformInput = { value: unknown };

/** class-transformer `@Transform`s shared by the DTOs. Non-strings pass through for the validators to refuse. */
export const trim = ({ value }: TransformInput) => (typeof value === 'string' ? value.trim() : value);
export const toNormalizedEmail = ({ value }: TransformInput) => (typeof value === 'string' ? normalizeEmail(value) : value);
export const toBoolean = ({ value }: TransformInput) => (value === 'true' ? true : value === 'false' ? false : value);
