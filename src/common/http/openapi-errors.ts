import { OpenAPIObject } from '@nestjs/swagger';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export const ERROR_ENVELOPE_SCHEMA = {
  type: 'object',
  required: ['success', 'message'],
  properties: {
    success: { type: 'boolean', enum: [false] },
    message: { type: 'string' },
    errors: {
      type: 'array',
      items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string' }, message: { type: 'string' } } },
    },
  },
};

const envelope = { 'application/json': { schema: { $ref: '#/components/schemas/ErrorEnvelope' } } };

/**
 * Documents the one error shape of the API (AllExceptionsFilter) on every operation: each
 * operation's `default` response, and the body of every 4xx/5xx it lists without one. So clients
 * and the fuzzer (scripts/fuzz-api.sh) know every status an operation may answer and check every
 * error against the envelope. An operation that documents only its errors (@nestjs/swagger then
 * drops its success response) gets the framework's default success status back.
 */
export function documentErrorEnvelope(document: OpenAPIObject): OpenAPIObject {
  document.components = { ...document.components, schemas: { ...document.components?.schemas, ErrorEnvelope: ERROR_ENVELOPE_SCHEMA } };
  for (const item of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const responses = (operation.responses ??= {});
      if (!Object.keys(responses).some((status) => /^[23]/.test(status))) {
        responses[method === 'post' ? '201' : '200'] = { description: 'Success' };
      }
      for (const [status, response] of Object.entries(responses)) {
        if (/^[45]/.test(status) && response && !('$ref' in response) && !response.content) response.content = envelope;
      }
      responses.default ??= { description: 'Any other status: an error, `{success: false, message}`', content: envelope };
    }
  }
  return document;
}
