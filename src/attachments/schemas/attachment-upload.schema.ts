import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';
import { HydratedDocument } from 'mongoose';

export const STORAGE_DRIVERS = ['local', 'cloudinary'] as const;
export type StorageDriverName = (typeof STORAGE_DRIVERS)[number];

/**
 * One stored file. Messages embed a copy of its public fields (`attachments[]`); this record is
 * what downloads, orphan cleanup and session deletion work from.
 */
@Schema({ collection: 'livechatuploads', timestamps: true, versionKey: false })
export class AttachmentUpload {
  /** 128 random bits, hex: the public `id` and the unguessable part of local URLs. */
  @Prop({ required: true }) attachmentId: string;
  @Prop({ required: true }) sessionId: string;
  /** The client's name, sanitised: shown and used in Content-Disposition, never as a path. */
  @Prop({ required: true }) name: string;
  /** MIME type decided from the content. */
  @Prop({ required: true }) type: string;
  @Prop({ required: true }) size: number;
  /** Strong validator for downloads: SHA-256 of the bytes (hex). */
  @Prop({ required: true }) sha256: string;
  @Prop({ type: String, required: true, enum: STORAGE_DRIVERS }) driver: StorageDriverName;
  /** Local driver: the server-made file name under DATA_DIR/uploads (and of its thumbnail). */
  @Prop() storageKey?: string;
  @Prop() previewKey?: string;
  /** Cloudinary driver: what `destroy` needs. */
  @Prop() publicId?: string;
  @Prop() resourceType?: string;
  @Prop({ required: true }) url: string;
  @Prop() previewUrl?: string;
  /** 'guest' or the uploading agent's id. */
  @Prop({ required: true }) uploadedBy: string;
  /** Set once a message carrying it is found; orphan cleanup only looks at unattached uploads. */
  @Prop({ default: false }) attached: boolean;

  createdAt: Date;
  updatedAt: Date;
}

export type AttachmentUploadDocument = HydratedDocument<AttachmentUpload>;
export const AttachmentUploadSchema = SchemaFactory.createForClass(AttachmentUpload);

AttachmentUploadSchema.index({ attachmentId: 1 }, { unique: true });
AttachmentUploadSchema.index({ sessionId: 1 });
AttachmentUploadSchema.index({ attached: 1, createdAt: 1 });
