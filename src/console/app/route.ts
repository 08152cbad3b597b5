// The console's screens as hash routes (#/destinations/dst_…), so the portal works inside an iframe without server routes.
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { screen: 'destinations' }
  | { screen: 'new-destination' }
  | { screen: 'destination'; id: string }
  | { screen: 'edit-destination'; id: string }
  | { screen: 'deliveries'; filters: Record<string, string> }
  | { screen: 'delivery'; id: string }
  | { screen: 'event-types' }
  | { screen: 'portal-sessions' }
  | { screen: 'data' };

export function parseRoute(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#/, '').split('?');
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  const [first, second, third] = parts;
  if (first === 'destinations' && second === 'new') return { screen: 'new-destination' };
  if (first === 'destinations' && second && third === 'edit') return { screen: 'edit-destination', id: second };
  if (first === 'destinations' && second) return { screen: 'destination', id: second };
  if (first === 'deliveries' && second) return { screen: 'delivery', id: second };
  if (first === 'deliveries') return { screen: 'deliveries', filters: Object.fromEntries(new URLSearchParams(search)) };
  if (first === 'event-types') return { screen: 'event-types' };
  if (first === 'portal-sessions') return { screen: 'portal-sessions' };
  if (first === 'data') return { screen: 'data' };
  return { screen: 'destinations' };
}

export function href(route: Route): string {
  switch (route.screen) {
    case 'destinations':
      return '#/destinations';
    case 'new-destination':
      return '#/destinations/new';
    case 'destination':
      return `#/destinations/${encodeURIComponent(route.id)}`;
    case 'edit-destination':
      return `#/destinations/${encodeURIComponent(route.id)}/edit`;
    case 'deliveries': {
      const search = new URLSearchParams(route.filters).toString();
      return `#/deliveries${search ? `?${search}` : ''}`;
    }
    case 'delivery':
      return `#/deliveries/${encodeURIComponent(route.id)}`;
    case 'event-types':
      return '#/event-types';
    case 'portal-sessions':
      return '#/portal-sessions';
    case 'data':
      return '#/data';
  }
}

export function navigate(route: Route): void {
  location.hash = href(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const changed = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return route;
}
