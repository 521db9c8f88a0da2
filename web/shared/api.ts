import type { Envelope } from './types';

/** An answer other than 2xx, or no answer at all (`status` 0): `message` is the API's own text. */
export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export interface ApiClientOptions {
  /** The service's origin, e.g. `https://chat.example.com` ('' = the page's own origin). */
  baseUrl: string;
  /** Sent as `Authorization: Bearer …` when it returns a value (guest token or agent JWT). */
  token?: () => string | undefined;
}

type Query = Record<string, string | number | boolean | undefined>;

/** A small typed client for the REST API: JSON in, the `{success, data}` envelope out. */
export class ApiClient {
  constructor(private readonly options: ApiClientOptions) {}

  url(path: string, query?: Query): string {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query ?? {})) if (value !== undefined) search.set(key, String(value));
    const qs = search.toString();
    return `${this.options.baseUrl}${path}${qs ? `?${qs}` : ''}`;
  }

  get<T>(path: string, query?: Query): Promise<Envelope<T>> {
    return this.request<T>('GET', this.url(path, query));
  }

  post<T>(path: string, body?: unknown): Promise<Envelope<T>> {
    return this.request<T>('POST', this.url(path), body);
  }

  patch<T>(path: string, body?: unknown): Promise<Envelope<T>> {
    return this.request<T>('PATCH', this.url(path), body);
  }

  delete<T>(path: string): Promise<Envelope<T>> {
    return this.request<T>('DELETE', this.url(path));
  }

  /** multipart/form-data (uploads): the browser sets the boundary. */
  postForm<T>(path: string, form: FormData): Promise<Envelope<T>> {
    return this.request<T>('POST', this.url(path), form);
  }

  private async request<T>(method: string, url: string, body?: unknown): Promise<Envelope<T>> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    const token = this.options.token?.();
    if (token) headers.Authorization = `Bearer ${token}`;
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    let response: Response;
    try {
      response = await fetch(url, { method, headers, body: payload, credentials: 'omit' });
    } catch {
      throw new ApiError(0, 'Network error');
    }
    const json = (await response.json().catch(() => null)) as Envelope<T> | null;
    if (!response.ok || !json || json.success === false) {
      throw new ApiError(response.status, json?.message ?? `Request failed (${response.status})`);
    }
    return json;
  }
}
