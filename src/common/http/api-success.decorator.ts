import { applyDecorators, Type } from '@nestjs/common';
import { ApiCreatedResponse, ApiExtraModels, ApiOkResponse, getSchemaPath, ReferenceObject, SchemaObject } from '@nestjs/swagger';

export interface ApiSuccessOptions {
  /** 201 for creations; 200 by default. */
  status?: 200 | 201;
  description?: string;
  /** The envelope carries the spec's success `message`. */
  message?: boolean;
  /** The `data` model; `[Model]` for a paged list (`count`, `total`, `page`, `pages` beside it). */
  data?: Type<unknown> | [Type<unknown>];
  /** More top-level fields of the envelope (e.g. `statusCounts`). */
  extra?: Record<string, SchemaObject | ReferenceObject>;
}

const PAGE_FIELDS: Record<string, SchemaObject> = {
  count: { type: 'integer', description: 'Items on this page' },
  total: { type: 'integer', description: 'Items in all' },
  page: { type: 'integer' },
  pages: { type: 'integer' },
};

/** Documents a success answer: `{success: true, message?, data?}` (+ paging), as the spec shapes them. */
export function ApiSuccess(options: ApiSuccessOptions = {}): MethodDecorator {
  const properties: Record<string, SchemaObject | ReferenceObject> = { success: { type: 'boolean', enum: [true] } };
  const required = ['success'];
  const models: Type<unknown>[] = [];
  if (options.message) {
    properties.message = { type: 'string' };
    required.push('message');
  }
  if (Array.isArray(options.data)) {
    models.push(options.data[0]);
    Object.assign(properties, PAGE_FIELDS, { data: { type: 'array', items: { $ref: getSchemaPath(options.data[0]) } } });
    required.push(...Object.keys(PAGE_FIELDS), 'data');
  } else if (options.data) {
    models.push(options.data);
    properties.data = { $ref: getSchemaPath(options.data) };
    required.push('data');
  }
  if (options.extra) {
    Object.assign(properties, options.extra);
    required.push(...Object.keys(options.extra));
  }
  const response = { description: options.description ?? 'Success', schema: { type: 'object', required, properties } };
  return applyDecorators(ApiExtraModels(...models), options.status === 201 ? ApiCreatedResponse(response) : ApiOkResponse(response));
}
