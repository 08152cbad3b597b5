// The console's shell: who is signed in, the navigation, and which screen the route shows.
import { useEffect, useState } from 'preact/hooks';
import { api, setBearer, whenRefused } from './api';
import { bearerOf, forgetKey, initialCredentials, type Credentials } from './credentials';
import { href, useRoute, type Route } from './route';
import { DataLifecycleScreen } from './screens/data-lifecycle';
import { DeliveriesScreen } from './screens/deliveries';
import { DeliveryDetail } from './screens/delivery-detail';
import { DestinationFormScreen } from './screens/destination-form';
import { DestinationPage } from './screens/destination-page';
import { DestinationsScreen } from './screens/destinations';
import { EventTypesScreen } from './screens/event-types';
import { OperatorScreen } from './screens/operator';
import { PortalSessionsScreen } from './screens/portal-sessions';
import { SignIn } from './screens/sign-in';
import type { PortalSession } from './types';
import { useLoad } from './use-load';

/** What the signed-in caller may do, as far as the screens need to know (the API enforces it regardless). */
interface Abilities {
  portal: boolean;
  canWrite: boolean;
  /** A session narrowed to given destinations manages those only. */
  canCreate: boolean;
}

function Screen({ route, abilities }: { route: Route; abilities: Abilities }) {
  switch (route.screen) {
    case 'destinations':
      return <DestinationsScreen canCreate={abilities.canCreate} />;
    case 'new-destination':
      return <DestinationFormScreen />;
    case 'destination':
      return <DestinationPage id={route.id} canWrite={abilities.canWrite} />;
    case 'edit-destination':
      return <DestinationFormScreen id={route.id} />;
    case 'deliveries':
      return <DeliveriesScreen filters={route.filters} />;
    case 'delivery':
      return <DeliveryDetail id={route.id} canWrite={abilities.canWrite} canReadEvents={!abilities.portal} />;
    case 'event-types':
      return <EventTypesScreen />;
    case 'portal-sessions':
      return abilities.portal ? <DestinationsScreen canCreate={false} /> : <PortalSessionsScreen />;
    case 'data':
      return abilities.portal ? <DestinationsScreen canCreate={false} /> : <DataLifecycleScreen />;
  }
}

function Nav({ route, portal }: { route: Route; portal: boolean }) {
  const items: [Route, string][] = [
    [{ screen: 'destinations' }, 'Destinations'],
    [{ screen: 'deliveries', filters: {} }, 'Deliveries'],
    [{ screen: 'event-types' }, 'Event catalog'],
    ...(portal
      ? []
      : ([
          [{ screen: 'portal-sessions' }, 'Customer portal'],
          [{ screen: 'data' }, 'Data and privacy'],
        ] as [Route, string][])),
  ];
  const section = route.screen
    .replace(/^(new|edit)-/, '')
    .replace(/^destination$/, 'destinations')
    .replace(/^delivery$/, 'deliveries');
  return (
    <nav aria-label="Main">
      {items.map(([target, label]) => (
        <a key={label} href={href(target)} aria-current={target.screen === section ? 'page' : undefined}>
          {label}
        </a>
      ))}
    </nav>
  );
}

export function App() {
  const [credentials, setCredentials] = useState<Credentials | null>(() => initialCredentials());
  const [refusal, setRefusal] = useState<string | null>(null);
  const route = useRoute();
  setBearer(credentials ? bearerOf(credentials) : null);
  // A portal session asks the API what it is, so a read-only one hides what it could not use (the API refuses regardless).
  const session = useLoad(
    () => (credentials?.kind === 'portal' ? api.get<PortalSession>('/v1/portal-sessions/current') : Promise.resolve(null)),
    [credentials],
  );

  useEffect(() => {
    whenRefused((error) => {
      setRefusal(error.message);
      if (credentials?.kind !== 'portal') {
        forgetKey();
        setCredentials(null);
      }
    });
  }, [credentials]);

  if (credentials?.kind === 'portal' && refusal) {
    return (
      <main id="main" class="sign-in">
        <div class="panel" role="alert">
          <h1>This portal link no longer works</h1>
          <p data-testid="refusal">{refusal}. Ask for a new link.</p>
        </div>
      </main>
    );
  }
  if (!credentials) {
    if (location.pathname.startsWith('/console/portal')) {
      return (
        <main id="main" class="sign-in">
          <div class="panel" role="alert">
            <h1>This portal link is incomplete</h1>
            <p>It carries no session token. Ask for a new link.</p>
          </div>
        </main>
      );
    }
    return (
      <SignIn
        refusal={refusal}
        onSignedIn={(signedIn) => {
          setRefusal(null);
          setCredentials(signedIn);
        }}
      />
    );
  }

  const signOut = (
    <button
      type="button"
      class="button button-quiet"
      onClick={() => {
        forgetKey();
        setCredentials(null);
      }}
    >
      Sign out
    </button>
  );
  if (credentials.kind === 'operator') {
    return (
      <>
        <a class="skip" href="#main">
          Skip to content
        </a>
        <header class="top">
          <span class="brand">Hookline operator</span>
          <nav aria-label="Main" />
          {signOut}
        </header>
        <main id="main" tabIndex={-1}>
          <OperatorScreen />
        </main>
      </>
    );
  }
  const portal = credentials.kind === 'portal';
  if (portal && !session.data)
    return (
      <main id="main">
        <p class="muted">Opening the portal…</p>
      </main>
    );
  const canWrite = !portal || !session.data?.read_only;
  const abilities = { portal, canWrite, canCreate: canWrite && !session.data?.destination_ids };
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <a class="brand" href={href({ screen: 'destinations' })}>
          {portal ? 'Webhooks' : 'Hookline'}
        </a>
        <Nav route={route} portal={portal} />
        {!portal && signOut}
      </header>
      <main id="main" tabIndex={-1}>
        <Screen route={route} abilities={abilities} />
      </main>
    </>
  );
}
