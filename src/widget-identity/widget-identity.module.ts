import { Module } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { WidgetIdentityService } from './widget-identity.service';

/** Identity tokens signed by host sites for the widget (WIDGET_IDENTITY_SECRET). */
@Module({
  imports: [JwtModule.register({})],
  providers: [WidgetIdentityService],
  exports: [WidgetIdentityService],
})
export class WidgetIdentityModule {}
