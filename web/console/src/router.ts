import { useEffect, useState } from 'preact/hooks';

export type Route = { page: 'sessions'; sessionId?: string } | { page: 'analytics' };

/** Hash routes (#/sessions, #/sessions/<id>, #/analytics): the static server needs no fallback. */
export function parseRoute(hash: string): Route {
  const [, page, id] = hash.replace(/^#/, '').split('/');
  if (page === 'analytics') return { page: 'analytics' };
  return id ? { page: 'sessions', sessionId: decodeURIComponent(id) } : { page: 'sessions' };
}

export const sessionHref = (sessionId: string) => `#/sessions/${encodeURIComponent(sessionId)}`;

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
