// Today's workflow code must replay every recorded history: the histories stand for workflows already running.
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { tracingSinks } from '../../src/observability/temporal-tracing';
import { hooklineDataConverter } from '../../src/orchestration/data-converter';
import { testConfig, workflowBundlePath } from '../support/test-env';
import { historyFromJSON } from './history-json';

// Replay workers log each nondeterminism as a warning before the test reports it; errors still show.
if (!Runtime._instance) Runtime.install({ logger: new DefaultLogger('ERROR') });

// Recorded by record-histories.ts (its header says how); one file per workflow execution.
const HISTORIES = join(__dirname, 'histories');
const fixtures = readdirSync(HISTORIES)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map((file) => ({ name: basename(file, '.json'), path: join(HISTORIES, file) }));

describe('replaying recorded workflow histories against the current workflow code', () => {
  it('has recorded histories to replay', () => {
    expect(fixtures.length).toBeGreaterThan(0);
  });

  // A DeterminismViolationError (a different command sequence) or any ReplayError rejects and fails the test.
  it.each(fixtures)('replays $name', async ({ name, path }) => {
    const history = historyFromJSON(readFileSync(path, 'utf8'));
    await expect(
      Worker.runReplayHistory(
        { workflowBundle: { codePath: workflowBundlePath() }, dataConverter: hooklineDataConverter(testConfig()), sinks: tracingSinks(null) },
        history,
        `replay-${name}`,
      ),
    ).resolves.toBeUndefined();
  });
});
