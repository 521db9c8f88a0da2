import { Body, Controller, Get, Logger, Module, Post } from '@nestjs/common';
import { IsInt, IsString, Max } from 'class-validator';
import { Public } from '../../src/common/access/access.decorator';
import { AppException } from '../../src/common/errors/app.exception';
import { ErrorCode } from '../../src/common/errors/error-code';
import { createTestApp, TestApp } from '../utils/create-test-app';

class ProbeDto {
  @IsString() name: string;
  @IsInt() @Max(10) count: number;
}

@Public()
@Controller('probe')
class ProbeController {
  @Post('validate')
  validate(@Body() body: ProbeDto) {
    return { success: true, data: body };
  }

  @Get('code/:code')
  code() {
    throw new Error('unreachable');
  }

  @Get('crash')
  crash() {
    throw new Error('secret driver detail at /srv/app/src/x.ts:1');
  }
}

@Public()
@Controller('codes')
class CodesController {
  @Get('unauthorized') u() { throw new AppException(ErrorCode.Unauthorized, 'No token, authorization denied'); }
  @Get('forbidden') f() { throw new AppException(ErrorCode.Forbidden, 'Access denied'); }
  @Get('not-found') n() { throw AppException.notFound('Session not found'); }
  @Get('conflict') c() { throw AppException.conflict('Session already exists'); }
  @Get('too-large') t() { throw new AppException(ErrorCode.PayloadTooLarge, 'File too large'); }
  @Get('unsupported') s() { throw new AppException(ErrorCode.UnsupportedMediaType, 'File type not allowed'); }
}

@Module({ controllers: [ProbeController, CodesController] })
class ProbeModule {}

describe('error envelope', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ imports: [ProbeModule], env: { JSON_BODY_LIMIT: '1kb' } });
  });
  afterAll(() => t.destroy());

  const expectEnvelope = (body: unknown, message?: string) => {
    expect(body).toMatchObject({ success: false, message: expect.any(String) });
    if (message) expect((body as { message: string }).message).toBe(message);
  };

  it('404 for unknown routes', async () => {
    const res = await t.http.get('/definitely/not/here').expect(404);
    expectEnvelope(res.body);
  });

  it('400 for malformed JSON', async () => {
    const res = await t.http.post('/probe/validate').set('Content-Type', 'application/json').send('{"name": ').expect(400);
    expectEnvelope(res.body);
  });

  it('400 with field errors for validation, objects never accepted as strings', async () => {
    const res = await t.http.post('/probe/validate').send({ name: { $ne: 'x' }, count: 99 }).expect(400);
    expectEnvelope(res.body);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['count', 'name']);
  });

  it('strips unknown fields', async () => {
    const res = await t.http.post('/probe/validate').send({ name: 'a', count: 1, role: 'admin' }).expect(201);
    expect(res.body.data).toEqual({ name: 'a', count: 1 });
  });

  it('413 for bodies over the limit', async () => {
    const res = await t.http.post('/probe/validate').send({ name: 'x'.repeat(5000), count: 1 }).expect(413);
    expectEnvelope(res.body);
  });

  it.each([
    ['unauthorized', 401, 'No token, authorization denied'],
    ['forbidden', 403, 'Access denied'],
    ['not-found', 404, 'Session not found'],
    ['conflict', 409, 'Session already exists'],
    ['too-large', 413, 'File too large'],
    ['unsupported', 415, 'File type not allowed'],
  ])('maps %s to %i', async (path, status, message) => {
    const res = await t.http.get(`/codes/${path}`).expect(status);
    expectEnvelope(res.body, message);
  });

  it('500 hides internals and logs the error with the request id the client got', async () => {
    const logged = jest.spyOn(Logger.prototype, 'error');
    const res = await t.http.get('/probe/crash').set('X-Request-Id', 'trace-500-probe').expect(500);
    expect(res.body).toEqual({ success: false, message: 'Internal server error' });
    expect(JSON.stringify(res.body)).not.toMatch(/secret|\/srv|stack/);
    expect(res.headers['x-request-id']).toBe('trace-500-probe');
    expect(logged).toHaveBeenCalledWith(expect.objectContaining({ reqId: 'trace-500-probe', path: '/probe/crash', err: expect.any(Error) }), 'Unhandled error');
    logged.mockRestore();
  });

  it('sets security headers and a request id, hides x-powered-by', async () => {
    const res = await t.http.get('/health').expect(200);
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-request-id']).toBeDefined();
  });
});

describe('rate limiting envelope', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ imports: [ProbeModule], env: { RATE_LIMIT_ENABLED: 'true', RATE_LIMIT_MAX: '3' } });
  });
  afterAll(() => t.destroy());

  it('429 with Retry-After after the limit', async () => {
    for (let i = 0; i < 3; i++) await t.http.get('/codes/not-found').expect(404);
    const res = await t.http.get('/codes/not-found').expect(429);
    expect(res.body).toEqual({ success: false, message: 'Too many requests, please try again later.' });
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });
});
