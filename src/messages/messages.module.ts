import { forwardRef, Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { AttachmentsModule } from '../attachments/attachments.module';
import { SessionsModule } from '../sessions/sessions.module';
import { MessagesController } from './messages.controller';
import { MessagesRepository } from './messages.repository';
import { MessagesService } from './messages.service';
import { LiveChatMessage, LiveChatMessageSchema } from './schemas/live-chat-message.schema';

@Module({
  imports: [MongooseModule.forFeature([{ name: LiveChatMessage.name, schema: LiveChatMessageSchema }]), forwardRef(() => SessionsModule), forwardRef(() => AttachmentsModule)],
  controllers: [MessagesController],
  providers: [MessagesRepository, MessagesService],
  exports: [MessagesService],
})
export class MessagesModule {}
