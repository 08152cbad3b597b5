// The smallest useful program on @hookline/client: create a destination, post an event, read its delivery.
import { createHooklineClient, orThrow } from '@hookline/client';

async function main(): Promise<void> {
  const hookline = createHooklineClient({ baseUrl: process.env.HOOKLINE_URL ?? 'http://127.0.0.1:3000', apiKey: process.env.HOOKLINE_KEY ?? '' });

  // Only name and url are needed: every other field has a server-side default.
  const destination = orThrow(
    await hookline.POST('/v1/destinations', { body: { name: 'Quickstart', url: process.env.RECEIVER_URL ?? '', event_types: ['contact.*'] } }),
  );
  const { event_id } = orThrow(
    await hookline.POST('/v1/events', {
      body: { type: 'contact.created', subject: 'c_42', data: { id: 'c_42', email: 'ada@example.com' } },
      params: { header: { 'Idempotency-Key': `quickstart-${destination.id}` } },
    }),
  );

  // The event is stored by its workflow a moment after the 202; its deliveries list is empty until then.
  for (let poll = 0; poll < 100; poll++) {
    const deliveries = orThrow(await hookline.GET('/v1/deliveries', { params: { query: { event_id } } }));
    const summary = deliveries.data[0];
    if (summary && summary.status !== 'pending' && summary.status !== 'delivering') {
      const delivery = orThrow(await hookline.GET('/v1/deliveries/{id}', { params: { path: { id: summary.id } } }));
      console.log(JSON.stringify({ destination_id: destination.id, event_id, status: delivery.status, attempts: delivery.attempts.length }));
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`event ${event_id} was not delivered in time`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
