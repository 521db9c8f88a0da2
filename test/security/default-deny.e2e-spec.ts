import { Controller, Get, Module } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { ACCESS_RULE } from '../../src/common/access/access.decorator';
import { createTestApp, TestApp } from '../utils/create-test-app';

/** A route whose author forgot to say who may call it. */
@Controller('probe-undeclared')
class UndeclaredController {
  @Get() open() {
    return { success: true };
  }
}

@Module({ controllers: [UndeclaredController], providers: [DiscoveryService, MetadataScanner] })
class ProbeModule {}

describe('security: access is default-deny', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ imports: [ProbeModule] });
  });
  afterAll(() => t.destroy());

  it('refuses a route without @Access or @Public with 403, whatever credentials it gets', async () => {
    const res = await t.http.get('/probe-undeclared').expect(403);
    expect(res.body).toEqual({ success: false, message: 'Access denied' });
  });

  it('every route of the service declares who may call it', () => {
    const reflector = t.app.get(Reflector);
    const scanner = t.app.get(MetadataScanner);
    const undeclared: string[] = [];
    for (const wrapper of t.app.get(DiscoveryService).getControllers()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | undefined;
      if (!controller || controller === UndeclaredController) continue;
      for (const name of scanner.getAllMethodNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, () => unknown>)[name];
        const isRoute = Reflect.getMetadata(PATH_METADATA, handler) !== undefined;
        if (isRoute && !reflector.getAllAndOverride(ACCESS_RULE, [handler, controller])) undeclared.push(`${controller.name}.${name}`);
      }
    }
    expect(undeclared).toEqual([]);
  });
});
