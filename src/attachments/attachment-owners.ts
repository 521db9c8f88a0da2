import { Injectable } from '@nestjs/common';

/** What attachments must ask the feature that owns sessions and messages. */
export interface AttachmentOwnerLookup {
  sessionExists(sessionId: string): Promise<boolean>;
  /** Of these uploads, the ids some message of their sessions carries. */
  idsCarriedByMessages(uploads: { sessionId: string; attachmentId: string }[]): Promise<Set<string>>;
}

/**
 * The chat feature depends on attachments (its message routes take files), so attachments cannot
 * import it: chat connects its lookup here at start-up instead.
 */
@Injectable()
export class AttachmentOwners implements AttachmentOwnerLookup {
  private lookup?: AttachmentOwnerLookup;

  connect(lookup: AttachmentOwnerLookup): void {
    this.lookup = lookup;
  }

  sessionExists(sessionId: string): Promise<boolean> {
    return this.connected().sessionExists(sessionId);
  }

  idsCarriedByMessages(uploads: { sessionId: string; attachmentId: string }[]): Promise<Set<string>> {
    return this.connected().idsCarriedByMessages(uploads);
  }

  private connected(): AttachmentOwnerLookup {
    if (!this.lookup) throw new Error('No feature connected its sessions to AttachmentOwners');
    return this.lookup;
  }
}
