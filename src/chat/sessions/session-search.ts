import { normalizeEmail } from '../../common/validation/transforms';

/** Lower-cased, accents removed (NFKD without combining marks), runs of white space as one space, trimmed. */
export function foldName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** The keys search looks a session up by, stored on it (`nameKey`, `emailKey`) and indexed. */
export function searchKeys(user: { name: string; email: string }): { nameKey: string; emailKey: string } {
  return { nameKey: foldName(user.name), emailKey: normalizeEmail(user.email) };
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const startsWith = (text: string) => ({ $regex: `^${escapeRegex(text)}` });

/**
 * `search`: sessions whose name starts with the text (case and accents ignored), whose email
 * starts with it (case ignored), or whose sessionId starts with it (exactly as typed). Anchored
 * literal prefixes, so both MongoDB and the embedded database answer them from an index.
 */
export function searchConditions(term: string): Array<Record<string, unknown>> {
  const conditions: Array<Record<string, unknown>> = [{ sessionId: startsWith(term) }];
  const name = foldName(term);
  if (name) conditions.push({ nameKey: startsWith(name) });
  conditions.push({ emailKey: startsWith(normalizeEmail(term)) });
  return conditions;
}
