import { SetMetadata } from '@nestjs/common';

export const RATE_LIMIT_GROUP = 'rate-limit:group';

/**
 * Which per-IP bucket a route draws from (see docs/security.md):
 * - `general` (every route unless marked): RATE_LIMIT_MAX per RATE_LIMIT_WINDOW_MS, the spec's limit;
 * - `messages`: RATE_LIMIT_MESSAGES_MAX per window, instead of the general one, for sending
 *   messages and typing signals inside a live chat;
 * - `sessions`: SESSIONS_PER_IP_PER_HOUR, on top of the general one, for opening chat sessions.
 */
export type RateLimitGroup = 'general' | 'messages' | 'sessions';

export const RateLimit = (group: Exclude<RateLimitGroup, 'general'>) => SetMetadata(RATE_LIMIT_GROUP, group);
