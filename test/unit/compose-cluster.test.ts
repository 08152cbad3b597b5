// docker-compose.yml and `npm run cluster` describe one deployment: compose cannot run here, the cluster can, so
// what the cluster proves holds for compose only while these agree.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const root = join(__dirname, '..', '..');
const read = (path: string) => readFileSync(join(root, path), 'utf8');

const compose: any = parse(read('docker-compose.yml'));
const clusterTemporal = read('scripts/cluster-temporal.sh');
const clusterScript = read('scripts/cluster.sh');
const clusterConfig = read('deploy/temporal-cluster/cluster.yaml');

const shellValue = (text: string, name: string) => new RegExp(`${name}="?([^"\\s]+)"?`).exec(text)?.[1];

describe('docker-compose.yml and npm run cluster', () => {
  it('run the same Temporal server version (the images compose pulls, the module the cluster builds)', () => {
    const version = shellValue(clusterTemporal, 'TEMPORAL_SERVER_VERSION');
    expect(version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(compose.services.temporal.image).toBe(`temporalio/server:${version}`);
    expect(compose.services['temporal-setup-schema'].image).toBe(`temporalio/admin-tools:${version}`);
  });

  it('run the same Temporal UI version (the image compose pulls, the ui-server module the cluster builds)', () => {
    expect(compose.services['temporal-ui'].image).toBe(`temporalio/ui:${shellValue(clusterTemporal, 'TEMPORAL_UI_VERSION')}`);
  });

  it('create the same number of history shards, on PostgreSQL through the postgres12 plugin', () => {
    expect(compose.services.temporal.environment.NUM_HISTORY_SHARDS).toBe(shellValue(clusterTemporal, 'export NUM_HISTORY_SHARDS'));
    expect(compose['x-temporal-db-env'].DB).toBe('postgres12');
    expect(clusterConfig.match(/pluginName: (\S+)/g)).toEqual(['pluginName: postgres12', 'pluginName: postgres12']);
  });

  it('give Temporal the same dynamic config file', () => {
    expect(compose.services.temporal.volumes).toContain('./deploy/temporal-dynamicconfig.yaml:/etc/temporal/config/dynamicconfig/hookline.yaml:ro');
    expect(clusterTemporal).toContain('DYNAMIC_CONFIG_FILE="$HOOKLINE_ROOT/deploy/temporal-dynamicconfig.yaml"');
  });

  it('register the namespace and the search attributes with the same script', () => {
    expect(compose.services['temporal-register-search-attributes'].volumes).toContain(
      './deploy/register-search-attributes.sh:/deploy/register-search-attributes.sh:ro',
    );
    expect(clusterTemporal).toContain('sh "$HOOKLINE_ROOT/deploy/register-search-attributes.sh"');
  });

  it('run two Hookline workers on one task queue and namespace', () => {
    expect(compose.services['hookline-worker'].deploy.replicas).toBe(2);
    expect(clusterScript).toMatch(/for i in 1 2; do\n[^\n]*start_process "worker-\$i"/);
    expect(compose['x-hookline-env'].HOOKLINE_TASK_QUEUE).toBe('${HOOKLINE_TASK_QUEUE:-hookline}');
    expect(clusterScript).toContain('TEMPORAL_NAMESPACE=default HOOKLINE_TASK_QUEUE=hookline');
  });
});
