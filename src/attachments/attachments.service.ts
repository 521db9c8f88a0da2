import { createHash, randomBytes } from 'node:crypto';
import { ReadStream } from 'node:fs';
import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { AppException } from '../common/errors/app.exception';
import { EventBus } from '../common/events/event-bus';
import { Env } from '../config/env.validation';
import { MessageAttachment } from './schemas/message-attachment.schema';
import { AttachmentOwners } from './attachment-owners';
import { AttachmentsRepository, UploadRecord } from './attachments.repository';
import { inspectFile, InspectedFile, THUMBNAIL_MIME } from './content/file-inspector';
import { sanitizeFileName } from './content/file-name';
import { mapAttachment, toMessageAttachment, UploadedAttachmentView } from './dto/attachment.response';
import { AttachmentStorage } from './storage/attachment-storage';
import { LocalDiskStorage } from './storage/local-disk.storage';
import { StorageDriverName } from './schemas/attachment-upload.schema';

/** `uploadedBy` of files sent by the guest. */
export const GUEST_UPLOADER = 'guest';
export const ATTACHMENT_ID_PATTERN = /^[0-9a-f]{32}$/;
const SWEEP_BATCH = 200;

/** The bytes of a locally stored file (or its thumbnail) and how to describe them. */
export interface Download {
  sessionId: string;
  name: string;
  type: string;
  size?: number;
  etag: string;
  /** Images (and thumbnails) are shown inline; everything else is a download. */
  inline: boolean;
  open(): ReadStream;
}

/**
 * Accepts files (judged by content), stores them with the configured driver and keeps one record
 * per file; resolves uploads for messages; serves local files; removes orphans and the files of
 * deleted sessions.
 */
@Injectable()
export class AttachmentsService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(AttachmentsService.name);
  private unsubscribe?: () => void;

  constructor(
    private readonly uploads: AttachmentsRepository,
    private readonly owners: AttachmentOwners,
    private readonly storage: AttachmentStorage,
    private readonly local: LocalDiskStorage,
    private readonly events: EventBus,
    private readonly config: ConfigService<Env, true>,
  ) {}

  onModuleInit(): void {
    // 'own': with several instances, only the instance that published the event does the work.
    this.unsubscribe = this.events.subscribe((event) => {
      if (event.name === 'session.deleted') {
        void this.deleteForSession(event.payload.sessionId).catch((err) => this.logger.error({ err }, 'Deleting the files of a session failed'));
      } else if (event.name === 'message.created') {
        const ids = ((event.payload.message.attachments ?? []) as MessageAttachment[]).map((attachment) => attachment.id);
        void this.uploads.markAttached(ids).catch((err) => this.logger.error({ err }, 'Marking uploads attached failed'));
      }
    }, 'own');
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  /**
   * Validates every file first (nothing is stored if one is refused), then stores them. 400 for no
   * or empty files, 415 for a type that is not allowed, 413 for an image over the pixel cap.
   */
  async upload(sessionId: string, files: Express.Multer.File[], uploadedBy: string): Promise<UploadRecord[]> {
    if (files.length === 0) throw AppException.badRequest('No files uploaded');
    if (files.some((file) => file.size === 0)) throw AppException.badRequest('Empty files are not allowed');
    const maxPixels = this.config.get('UPLOAD_MAX_IMAGE_PIXELS', { infer: true });
    const inspected: { file: Express.Multer.File; name: string; content: InspectedFile }[] = [];
    for (const file of files) {
      const name = sanitizeFileName(file.originalname);
      inspected.push({ file, name, content: await inspectFile(file.buffer, name, maxPixels) });
    }
    const stored: UploadRecord[] = [];
    try {
      for (const { file, name, content } of inspected) stored.push(await this.storeOne(sessionId, file.buffer, name, content, uploadedBy));
    } catch (err) {
      await this.discard(stored);
      throw err;
    }
    return stored;
  }

  /** This session's uploads with these ids, in that order; 400 when one is unknown here. */
  async resolve(sessionId: string, attachmentIds: string[]): Promise<UploadRecord[]> {
    const unique = [...new Set(attachmentIds)];
    const found = unique.every((id) => ATTACHMENT_ID_PATTERN.test(id)) ? await this.uploads.findInSession(sessionId, unique) : [];
    const byId = new Map(found.map((upload) => [upload.attachmentId, upload]));
    if (byId.size !== unique.length) throw AppException.badRequest('Attachment not found');
    return unique.map((id) => byId.get(id) as UploadRecord);
  }

  /** Removes uploads (files and records), e.g. when the message they were sent with was refused. */
  async discard(uploads: UploadRecord[]): Promise<void> {
    for (const upload of uploads) await this.removeOne(upload);
  }

  async findForDownload(attachmentId: string, name: string, preview: boolean): Promise<Download> {
    const upload = ATTACHMENT_ID_PATTERN.test(attachmentId) ? await this.uploads.findById(attachmentId) : null;
    const key = preview ? upload?.previewKey : upload?.storageKey;
    if (!upload || upload.driver !== 'local' || !key || upload.name !== name) throw AppException.notFound('Attachment not found');
    return {
      sessionId: upload.sessionId,
      name: upload.name,
      type: preview ? THUMBNAIL_MIME : upload.type,
      size: preview ? undefined : upload.size,
      etag: `"${upload.sha256.slice(0, 32)}${preview ? '-preview' : ''}"`,
      inline: preview || upload.type.startsWith('image/'),
      open: () => this.local.open(key),
    };
  }

  /**
   * Removes uploads older than UPLOAD_ORPHAN_GRACE_MINUTES that no message carries. Called by the
   * scheduled job and directly by tests. Returns how many were removed.
   */
  async sweepOrphans(now = new Date()): Promise<number> {
    const cutoff = new Date(now.getTime() - this.config.get('UPLOAD_ORPHAN_GRACE_MINUTES', { infer: true }) * 60_000);
    let removed = 0;
    for (;;) {
      const candidates = await this.uploads.findUnattachedBefore(cutoff, SWEEP_BATCH);
      if (candidates.length === 0) return removed;
      // The message.created subscription normally marks uploads attached; this catches any it missed.
      const carried = await this.owners.idsCarriedByMessages(candidates);
      await this.uploads.markAttached([...carried]);
      let removedNow = 0;
      for (const orphan of candidates.filter((upload) => !carried.has(upload.attachmentId))) {
        if (await this.removeOne(orphan)) removedNow++;
      }
      removed += removedNow;
      // Stop at the last batch, or when nothing in this one could be settled (a driver not configured).
      if (candidates.length < SWEEP_BATCH || carried.size + removedNow === 0) return removed;
    }
  }

  /** Removes every file of a session, whichever driver stored it. */
  async deleteForSession(sessionId: string): Promise<number> {
    const uploads = await this.uploads.findBySession(sessionId);
    await this.discard(uploads);
    return uploads.length;
  }

  toMessageAttachments(uploads: UploadRecord[]): MessageAttachment[] {
    return uploads.map(toMessageAttachment);
  }

  toViews(uploads: UploadRecord[]): UploadedAttachmentView[] {
    return uploads.map(mapAttachment);
  }

  private async storeOne(sessionId: string, buffer: Buffer, name: string, content: InspectedFile, uploadedBy: string): Promise<UploadRecord> {
    const attachmentId = randomBytes(16).toString('hex');
    const object = await this.storage.store({
      attachmentId,
      name,
      extension: content.extension,
      mime: content.mime,
      kind: content.kind,
      buffer,
      thumbnail: content.thumbnail,
    });
    try {
      return await this.uploads.insert({
        attachmentId,
        sessionId,
        name,
        type: content.mime,
        size: buffer.length,
        sha256: createHash('sha256').update(buffer).digest('hex'),
        driver: this.storage.driver,
        uploadedBy,
        ...object,
      });
    } catch (err) {
      await this.storage.remove(object);
      throw err;
    }
  }

  /**
   * The record goes only once its file is gone, so a failed removal is retried by the next sweep.
   * Files of a driver that is no longer configured are kept (and logged). Returns whether it went.
   */
  private async removeOne(upload: UploadRecord): Promise<boolean> {
    const driver = this.driverFor(upload.driver);
    if (!driver) {
      this.logger.warn({ attachmentId: upload.attachmentId }, `Cannot remove a ${upload.driver} upload: that driver is not configured`);
      return false;
    }
    await driver.remove(upload);
    await this.uploads.deleteById(upload.attachmentId);
    return true;
  }

  private driverFor(name: StorageDriverName): AttachmentStorage | null {
    if (name === this.storage.driver) return this.storage;
    return name === 'local' ? this.local : null;
  }
}
