import { Agent } from 'node:http';
import { ConfigService } from '@nestjs/config';
import { UploadApiResponse, v2 as cloudinary } from 'cloudinary';
import { Env } from '../../config/env.validation';
import { THUMBNAIL_SIZE } from '../content/file-inspector';
import { AttachmentStorage, StoredObject, StoreRequest } from './attachment-storage';

export const CLOUDINARY_FOLDER = 'live-chat';

export interface CloudinaryCredentials {
  cloud_name: string;
  api_key: string;
  api_secret: string;
  /** API host override (`?upload_prefix=` on CLOUDINARY_URL), e.g. a regional endpoint or an emulator. */
  upload_prefix?: string;
}

/**
 * Cloudinary credentials from `CLOUDINARY_URL` (`cloudinary://<key>:<secret>@<cloud>[?upload_prefix=…]`)
 * or the three `CLOUDINARY_*` variables; null when neither is complete (the local driver is used).
 */
export function cloudinaryCredentials(config: ConfigService<Env, true>): CloudinaryCredentials | null {
  const cloudinaryUrl = config.get('CLOUDINARY_URL', { infer: true });
  const cloudName = config.get('CLOUDINARY_CLOUD_NAME', { infer: true });
  const apiKey = config.get('CLOUDINARY_API_KEY', { infer: true });
  const apiSecret = config.get('CLOUDINARY_API_SECRET', { infer: true });
  if (cloudinaryUrl) {
    const url = new URL(cloudinaryUrl);
    if (url.protocol !== 'cloudinary:' || !url.hostname || !url.username || !url.password) {
      throw new Error('CLOUDINARY_URL: must look like cloudinary://<api_key>:<api_secret>@<cloud_name>');
    }
    const uploadPrefix = url.searchParams.get('upload_prefix') ?? undefined;
    return {
      cloud_name: url.hostname,
      api_key: decodeURIComponent(url.username),
      api_secret: decodeURIComponent(url.password),
      ...(uploadPrefix ? { upload_prefix: uploadPrefix } : {}),
    };
  }
  if (cloudName && apiKey && apiSecret) return { cloud_name: cloudName, api_key: apiKey, api_secret: apiSecret };
  return null;
}

/**
 * Files in Cloudinary, streamed with `upload_stream`: images as `image` resources (previewUrl is a
 * thumbnail transformation of the same asset), everything else as `raw`. Public ids are
 * `live-chat/<random id>` (raw ones keep their extension, as Cloudinary serves raw files by name).
 * Credentials are passed on every call, never through the SDK's global configuration.
 */
export class CloudinaryStorage extends AttachmentStorage {
  readonly driver = 'cloudinary' as const;
  private readonly options: CloudinaryCredentials & { secure: true; agent?: Agent };

  constructor(credentials: CloudinaryCredentials) {
    super();
    // The SDK sends uploads with the https module; a plain-http upload_prefix needs an http agent.
    const plainHttp = credentials.upload_prefix?.startsWith('http:') ?? false;
    this.options = { ...credentials, secure: true, ...(plainHttp ? { agent: new Agent() } : {}) };
  }

  async store(request: StoreRequest): Promise<StoredObject> {
    const resourceType = request.kind === 'image' ? 'image' : 'raw';
    const publicId = `${CLOUDINARY_FOLDER}/${request.attachmentId}${resourceType === 'raw' ? `.${request.extension}` : ''}`;
    const result = await new Promise<UploadApiResponse>((resolve, reject) => {
      const stream = cloudinary.uploader.upload_stream(
        { ...this.options, resource_type: resourceType, public_id: publicId, overwrite: false, filename: `${request.attachmentId}.${request.extension}` },
        (error, response) => (error || !response ? reject(new Error(`Cloudinary upload failed: ${error?.message ?? 'no response'}`)) : resolve(response)),
      );
      stream.end(request.buffer);
    });
    const stored: StoredObject = { url: result.secure_url, publicId: result.public_id, resourceType: result.resource_type };
    if (resourceType === 'image') {
      stored.previewUrl = cloudinary.url(result.public_id, {
        cloud_name: this.options.cloud_name,
        secure: true,
        resource_type: 'image',
        type: 'upload',
        version: result.version,
        transformation: [{ width: THUMBNAIL_SIZE, height: THUMBNAIL_SIZE, crop: 'limit' }],
        format: 'webp',
        urlAnalytics: false,
      });
    }
    return stored;
  }

  async remove(stored: StoredObject): Promise<void> {
    if (!stored.publicId) return;
    const result = await cloudinary.uploader.destroy(stored.publicId, { ...this.options, resource_type: stored.resourceType ?? 'image', invalidate: true });
    if (result?.result !== 'ok' && result?.result !== 'not found') {
      throw new Error(`Cloudinary destroy failed for ${stored.publicId}: ${JSON.stringify(result)}`);
    }
  }
}
