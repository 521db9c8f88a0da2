import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { MongooseModule } from '@nestjs/mongoose';
import { Env } from '../config/env.validation';
import { AttachmentAccess } from './attachment-access';
import { AttachmentOwners } from './attachment-owners';
import { AttachmentsController } from './attachments.controller';
import { AttachmentsInterceptor } from './attachments.interceptor';
import { AttachmentsRepository } from './attachments.repository';
import { AttachmentsService } from './attachments.service';
import { MultipartParser } from './multipart-parser';
import { OrphanUploadsJob } from './orphan-uploads.job';
import { AttachmentUpload, AttachmentUploadSchema } from './schemas/attachment-upload.schema';
import { AttachmentStorage } from './storage/attachment-storage';
import { cloudinaryCredentials, CloudinaryStorage } from './storage/cloudinary.storage';
import { LocalDiskStorage } from './storage/local-disk.storage';

/**
 * Uploads, downloads and multipart message bodies. Message routes opt in with
 * `@AcceptsAttachments()` and read `@UploadedAttachments()` (their module imports this one).
 */
@Module({
  imports: [MongooseModule.forFeature([{ name: AttachmentUpload.name, schema: AttachmentUploadSchema }])],
  controllers: [AttachmentsController],
  providers: [
    AttachmentsRepository,
    AttachmentsService,
    AttachmentAccess,
    AttachmentOwners,
    AttachmentsInterceptor,
    MultipartParser,
    OrphanUploadsJob,
    LocalDiskStorage,
    {
      provide: AttachmentStorage,
      inject: [ConfigService, LocalDiskStorage],
      useFactory: (config: ConfigService<Env, true>, local: LocalDiskStorage) => {
        const credentials = cloudinaryCredentials(config);
        return credentials ? new CloudinaryStorage(credentials) : local;
      },
    },
  ],
  exports: [AttachmentsService, AttachmentsInterceptor, MultipartParser, AttachmentOwners],
})
export class AttachmentsModule {}
