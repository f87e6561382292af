// The tab's calls to Puls' JSON API (/api/tab/…). In Teams each call carries the SSO token;
// locally the server trusts loopback callers and needs none.
import type { ApiErrorView } from '../src/tab/view-types';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorView,
  ) {
    super(body.message);
  }
}

export interface Api {
  get<T>(path: string): Promise<T>;
  send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T>;
}

export function createApi(getToken: (() => Promise<string>) | undefined): Api {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const headers: Record<string, string> = { accept: 'application/json', 'x-puls-tab': '1' };
    if (getToken) headers.authorization = `Bearer ${await getToken()}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), 20000);
    try {
      const res = await fetch(`/api/tab/${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: controller.signal,
        credentials: 'omit',
      });
      const json = (await res.json().catch(() => undefined)) as unknown;
      if (!res.ok) {
        const error = (json as ApiErrorView | undefined) ?? { error: 'internal', message: res.statusText };
        throw new ApiError(res.status, error);
      }
      return json as T;
    } catch (err) {
      if (err instanceof ApiError) throw err;
      throw new ApiError(0, { error: 'unavailable', message: String(err) });
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    get: (path) => call('GET', path),
    send: (method, path, body) => call(method, path, body),
  };
}
