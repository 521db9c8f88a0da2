import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import mongoose, { Model, Types } from 'mongoose';
import { AttachmentUpload } from './schemas/attachment-upload.schema';

export type UploadRecord = AttachmentUpload & { _id: Types.ObjectId };
export type NewUpload = Omit<AttachmentUpload, 'attached' | 'createdAt' | 'updatedAt'>;

/** The only code that touches the uploads collection. */
@Injectable()
export class AttachmentsRepository {
  constructor(@InjectModel(AttachmentUpload.name) private readonly model: Model<AttachmentUpload>) {}

  async insert(upload: NewUpload): Promise<UploadRecord> {
    const created = await this.model.create(upload);
    return created.toObject() as UploadRecord;
  }

  findById(attachmentId: string): Promise<UploadRecord | null> {
    return this.model.findOne({ attachmentId }).lean<UploadRecord>().exec();
  }

  /** The uploads of one session with these ids (any missing one is simply absent). */
  findInSession(sessionId: string, attachmentIds: string[]): Promise<UploadRecord[]> {
    return this.model
      .find({ sessionId, attachmentId: mongoose.trusted({ $in: attachmentIds }) })
      .lean<UploadRecord[]>()
      .exec();
  }

  findBySession(sessionId: string): Promise<UploadRecord[]> {
    return this.model.find({ sessionId }).lean<UploadRecord[]>().exec();
  }

  /** Unattached uploads created before `cutoff`, oldest first. */
  findUnattachedBefore(cutoff: Date, limit: number): Promise<UploadRecord[]> {
    return this.model
      .find({ attached: false, createdAt: mongoose.trusted({ $lt: cutoff }) })
      .sort({ createdAt: 1 })
      .limit(limit)
      .lean<UploadRecord[]>()
      .exec();
  }

  async markAttached(attachmentIds: string[]): Promise<void> {
    if (attachmentIds.length === 0) return;
    await this.model.updateMany({ attachmentId: mongoose.trusted({ $in: attachmentIds }) }, { $set: { attached: true } }).exec();
  }

  async deleteById(attachmentId: string): Promise<void> {
    await this.model.deleteOne({ attachmentId }).exec();
  }
}
