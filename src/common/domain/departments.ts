/** The departments a chat belongs to and an agent works in. */
export const DEPARTMENTS = ['general', 'sales', 'support', 'billing', 'technical'] as const;
export type Department = (typeof DEPARTMENTS)[number];
