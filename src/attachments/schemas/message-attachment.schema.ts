import { Prop, Schema } from '@nestjs/mongoose';

/** A file as a message carries it. */
@Schema({ _id: false })
export class MessageAttachment {
  @Prop({ required: true }) id: string;
  @Prop({ required: true }) name: string;
  /** MIME type, decided from the content. */
  @Prop({ required: true }) type: string;
  @Prop({ required: true }) size: number;
  @Prop({ required: true }) url: string;
  @Prop() publicId?: string;
  @Prop() previewUrl?: string;
}
