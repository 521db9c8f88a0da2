import { createReadStream, ReadStream } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { Env } from '../../config/env.validation';
import { AttachmentStorage, StoredObject, StoreRequest } from './attachment-storage';

export const ATTACHMENTS_ROUTE = '/api/live-chat/attachments';
/** Query that asks the download route for an image's thumbnail. */
export const PREVIEW_QUERY = 'variant=preview';

const SERVER_MADE_KEY = /^[0-9a-f]{32}(\.preview)?\.[a-z]{3,4}$/;

/**
 * The default driver: files in DATA_DIR/uploads under server-made names (`<id>.<ext>`, thumbnails
 * `<id>.preview.webp`), served by the attachments controller at
 * `/api/live-chat/attachments/<id>/<name>` (`?variant=preview` for the thumbnail).
 */
@Injectable()
export class LocalDiskStorage extends AttachmentStorage implements OnModuleInit {
  readonly driver = 'local' as const;
  readonly directory: string;

  constructor(config: ConfigService<Env, true>) {
    super();
    this.directory = resolve(config.get('DATA_DIR', { infer: true }), 'uploads');
  }

  async onModuleInit(): Promise<void> {
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
  }

  async store(request: StoreRequest): Promise<StoredObject> {
    const url = `${ATTACHMENTS_ROUTE}/${request.attachmentId}/${encodeURIComponent(request.name)}`;
    const storageKey = `${request.attachmentId}.${request.extension}`;
    await writeFile(this.path(storageKey), request.buffer, { flag: 'wx', mode: 0o600 });
    if (!request.thumbnail) return { url, storageKey };
    const previewKey = `${request.attachmentId}.preview.webp`;
    try {
      await writeFile(this.path(previewKey), request.thumbnail, { flag: 'wx', mode: 0o600 });
    } catch (err) {
      await this.remove({ url, storageKey });
      throw err;
    }
    return { url, storageKey, previewKey, previewUrl: `${url}?${PREVIEW_QUERY}` };
  }

  async remove(stored: StoredObject): Promise<void> {
    for (const key of [stored.storageKey, stored.previewKey]) {
      if (key) await rm(this.path(key), { force: true });
    }
  }

  open(key: string): ReadStream {
    return createReadStream(this.path(key));
  }

  /** Keys are only ever made here; anything else never becomes a path. */
  private path(key: string): string {
    if (!SERVER_MADE_KEY.test(key)) throw new Error(`Refusing storage key ${JSON.stringify(key)}`);
    return join(this.directory, key);
  }
}
