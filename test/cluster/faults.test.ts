// Faults on the cluster under a steady load: whatever process dies, every event accepted is delivered and no 5xx.
import { cluster, type Cluster } from '../support/cluster';
import { makeDestination } from '../support/delivery-helpers';
import { startReceiver, type Receiver } from '../support/receiver';
import { startSteadyLoad } from '../support/steady-load';

const LOAD_AROUND_FAULT_MS = 3_000;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('faults on the cluster, under load', () => {
  let hookline: Cluster;
  let receiver: Receiver;

  beforeAll(async () => {
    hookline = cluster();
    receiver = await startReceiver();
  });
  afterAll(async () => {
    hookline?.up(); // whatever a failed spec left stopped
    await receiver?.close();
  });

  /** Runs the load, does `fault` in the middle of it, then checks what the producer and the receiver saw. */
  async function underLoad(fault: () => Promise<void> | void) {
    const { key } = await hookline.spread.createWorkspace('Faults');
    await makeDestination(hookline.spread, key, { url: `${receiver.url}/faults`, event_types: ['*'] });
    const load = startSteadyLoad(hookline.replicas, key);
    await pause(LOAD_AROUND_FAULT_MS);
    await fault();
    await pause(LOAD_AROUND_FAULT_MS);
    await load.stop();

    const delivered = async () => new Set(receiver.requests.filter((r) => r.path === '/faults').map((r) => JSON.parse(r.body).id as string));
    const deadline = Date.now() + 120_000;
    let got = await delivered();
    while ([...load.accepted].some((id) => !got.has(id)) && Date.now() < deadline) {
      await pause(250);
      got = await delivered();
    }
    receiver.requests.length = 0;

    expect(load.accepted.size).toBeGreaterThan(20);
    expect([...load.accepted].filter((id) => !got.has(id))).toEqual([]);
    // No event beyond those accepted: a request retried on the other replica with its key was not taken twice.
    expect(got.size).toBe(load.accepted.size);
    expect(load.statuses.filter((status) => status >= 500)).toEqual([]);
  }

  it('loses nothing when a worker is killed, and takes it back when it restarts', async () => {
    await underLoad(async () => {
      hookline.kill('worker-1');
      await pause(LOAD_AROUND_FAULT_MS);
      hookline.up();
    });
  });

  it('loses nothing when the history service is killed and restarted', async () => {
    await underLoad(() => {
      hookline.kill('temporal-history');
      hookline.up();
    });
  });

  it("loses nothing when PostgreSQL (Temporal's and ours) restarts", async () => {
    await underLoad(() => hookline.restartPostgres());
  });

  it('loses nothing, and accepts each event once, when an API replica is killed while the client retries on the other', async () => {
    await underLoad(async () => {
      hookline.kill('api-1');
      await pause(LOAD_AROUND_FAULT_MS);
      hookline.up();
    });
  });
});
