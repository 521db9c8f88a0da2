import { TestApp } from '../../utils/create-test-app';

export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** One operation of the service's own OpenAPI document: the attack suites iterate over all of them. */
export interface Operation {
  method: HttpMethod;
  /** As documented, e.g. `/api/live-chat/sessions/{sessionId}/messages`. */
  path: string;
  name: string;
  pathParams: string[];
  queryParams: string[];
  /** Top-level JSON body properties (empty when the body is not JSON or absent). */
  bodyProps: string[];
  multipart: boolean;
  /** Documented with bearer security: an agent JWT is required. */
  agentOnly: boolean;
}

type Schema = { $ref?: string; properties?: Record<string, unknown>; allOf?: Schema[] };
type Document = {
  paths: Record<string, Record<string, { parameters?: { in: string; name: string }[]; requestBody?: { content: Record<string, { schema?: Schema }> }; security?: unknown[] }>>;
  components?: { schemas?: Record<string, Schema> };
};

function propertiesOf(schema: Schema | undefined, document: Document): string[] {
  if (!schema) return [];
  if (schema.$ref) return propertiesOf(document.components?.schemas?.[schema.$ref.split('/').pop() as string], document);
  return [...Object.keys(schema.properties ?? {}), ...(schema.allOf ?? []).flatMap((part) => propertiesOf(part, document))];
}

export async function operationsOf(t: TestApp): Promise<Operation[]> {
  const document = (await t.http.get('/api/docs-json').expect(200)).body as Document;
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => {
      const parameters = operation.parameters ?? [];
      const content = operation.requestBody?.content ?? {};
      return {
        method: method as HttpMethod,
        path,
        name: `${method.toUpperCase()} ${path}`,
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        queryParams: parameters.filter((p) => p.in === 'query').map((p) => p.name),
        bodyProps: propertiesOf(content['application/json']?.schema, document),
        multipart: 'multipart/form-data' in content,
        agentOnly: (operation.security ?? []).length > 0,
      };
    }),
  );
}

/** The path with its `{params}` replaced (values are URL-encoded). */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    if (!(name in values)) throw new Error(`no value for path parameter {${name}} of ${path}`);
    return encodeURIComponent(values[name]);
  });
}

/** Guest operations scoped to one session by a `{sessionId}` path parameter. */
export const isGuestSessionOperation = (op: Operation) => !op.agentOnly && op.pathParams.includes('sessionId');
