// The Temporal SDK's logs in pino: JSON with Hookline's fields, never a task token, expected delivery failures quiet.
import { ApplicationFailure } from '@temporalio/common';
import { PinoTemporalLogger } from '../../src/logging/temporal-logger';
import { FailureType } from '../../src/contracts/delivery';
import { captureLogs } from '../support/log-capture';

describe('the Temporal logger adapter', () => {
  it('writes the SDK’s metadata as fields and leaves the task token out', () => {
    const logs = captureLogs('info');
    new PinoTemporalLogger(logs.logger).warn('Worker state changed', { taskQueue: 'hookline', taskToken: 'c2VjcmV0LXRva2Vu', state: 'DRAINING' });
    expect(logs.entries()).toEqual([expect.objectContaining({ level: 40, msg: 'Worker state changed', taskQueue: 'hookline', state: 'DRAINING' })]);
    expect(logs.text()).not.toContain('c2VjcmV0LXRva2Vu');
  });

  it('drops an expected delivery failure to debug, and keeps any other failed activity at warn', () => {
    const logs = captureLogs('info');
    const temporal = new PinoTemporalLogger(logs.logger);
    temporal.warn('Activity failed', { error: ApplicationFailure.create({ type: FailureType.Retryable, message: 'receiver responded 503' }), durationMs: 12 });
    temporal.warn('Activity failed', { error: new Error('connection terminated unexpectedly'), durationMs: 5 });
    expect(logs.entries()).toEqual([
      expect.objectContaining({ level: 40, msg: 'Activity failed', err: expect.objectContaining({ message: 'connection terminated unexpectedly' }) }),
    ]);
  });
});
