import { Injectable } from '@nestjs/common';
import type { Principal } from '../common/access/principal';
import { AppException } from '../common/errors/app.exception';
import { AttachmentOwners } from './attachment-owners';
import { GUEST_UPLOADER } from './attachments.service';

/**
 * Whether the caller (already authenticated by `AccessGuard` from its headers) may touch a session's
 * files, once the session is known (upload: from the body; download: from the stored file).
 */
@Injectable()
export class AttachmentAccess {
  constructor(private readonly owners: AttachmentOwners) {}

  /** 'guest' or the agent's id; 401 for a guest of another session, 404 for an unknown session. */
  async authorize(principal: Principal, sessionId: string): Promise<string> {
    if (principal.kind === 'guest' && principal.sessionId !== null && principal.sessionId !== sessionId) throw AppException.unauthorized('Invalid guest token');
    if ((principal.kind === 'agent' || principal.sessionId === null) && !(await this.owners.sessionExists(sessionId))) throw AppException.notFound('Session not found');
    return principal.kind === 'agent' ? principal.agent.id : GUEST_UPLOADER;
  }
}
