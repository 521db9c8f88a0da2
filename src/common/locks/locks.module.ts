import { Global, Module } from '@nestjs/common';
import { InProcessKeyedLock } from './in-process-keyed-lock';
import { KeyedLock } from './keyed-lock';

@Global()
@Module({
  providers: [{ provide: KeyedLock, useClass: InProcessKeyedLock }],
  exports: [KeyedLock],
})
export class LocksModule {}
