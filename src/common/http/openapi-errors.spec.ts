import { OpenAPIObject } from '@nestjs/swagger';
import { documentErrorEnvelope } from './openapi-errors';

const envelopeRef = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorEnvelope' } } };

function documentWith(paths: OpenAPIObject['paths']): OpenAPIObject {
  return { openapi: '3.0.0', info: { title: 't', version: '1' }, paths };
}

describe('documentErrorEnvelope', () => {
  it('adds the envelope schema and a default error response to every operation', () => {
    const document = documentErrorEnvelope(documentWith({ '/a': { get: { responses: { '200': { description: 'ok' } } } } }));
    expect(document.components?.schemas?.ErrorEnvelope).toMatchObject({ required: ['success', 'message'] });
    expect(document.paths['/a'].get?.responses).toEqual({ '200': { description: 'ok' }, default: expect.objectContaining({ content: envelopeRef }) });
  });

  it('gives listed errors without a body the envelope, and keeps bodies already documented', () => {
    const own = { 'application/json': { schema: { type: 'object' } } };
    const document = documentErrorEnvelope(
      documentWith({ '/a': { patch: { responses: { '200': { description: 'ok' }, '404': { description: 'gone' }, '409': { description: 'x', content: own } } } } }),
    );
    const responses = document.paths['/a'].patch?.responses;
    expect(responses?.['404']).toEqual({ description: 'gone', content: envelopeRef });
    expect(responses?.['409']).toEqual({ description: 'x', content: own });
  });

  it('restores the default success status of an operation that documents only errors', () => {
    const document = documentErrorEnvelope(
      documentWith({ '/a': { post: { responses: { '401': { description: 'no' } } }, delete: { responses: { '404': { description: 'no' } } } } }),
    );
    expect(document.paths['/a'].post?.responses['201']).toEqual({ description: 'Success' });
    expect(document.paths['/a'].delete?.responses['200']).toEqual({ description: 'Success' });
  });
});
