import { FileKind } from '../content/file-inspector';
import { StorageDriverName } from '../schemas/attachment-upload.schema';

export interface StoreRequest {
  attachmentId: string;
  /** Sanitised original name (for URLs only; stored objects get server-made names). */
  name: string;
  /** Canonical extension of the detected type. */
  extension: string;
  mime: string;
  kind: FileKind;
  buffer: Buffer;
  /** Images: a thumbnail made by sharp (drivers that render their own may ignore it). */
  thumbnail?: Buffer;
}

/** Where a stored file lives, as kept on its upload record. */
export interface StoredObject {
  url: string;
  previewUrl?: string;
  storageKey?: string;
  previewKey?: string;
  publicId?: string;
  resourceType?: string;
}

/** One place files go: the local disk or Cloudinary. Removing an object that is already gone is not an error. */
export abstract class AttachmentStorage {
  abstract readonly driver: StorageDriverName;
  abstract store(request: StoreRequest): Promise<StoredObject>;
  abstract remove(stored: StoredObject): Promise<void>;
}
