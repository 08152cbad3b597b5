import { isAddressInUse, PortInUseError } from '../../src/config/port-in-use';

describe('a listening port that is taken', () => {
  it.each([
    ["Node's listen error", Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:9464'), { code: 'EADDRINUSE' })],
    ["the Temporal SDK's exporter on Linux", new Error('Failed to start prometheus metrics exporter: Address already in use (os error 98)')],
    ["the Temporal SDK's exporter on macOS", new Error('Failed to start prometheus metrics exporter: Address already in use (os error 48)')],
  ])('is recognised in %s', (_where, error) => {
    expect(isAddressInUse(error)).toBe(true);
  });

  it.each([
    ['a refused connection', Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:7233'), { code: 'ECONNREFUSED' })],
    ['a permission error', Object.assign(new Error('listen EACCES: permission denied 0.0.0.0:80'), { code: 'EACCES' })],
    ['a string', 'Address already in use'],
    ['nothing', undefined],
  ])('is not read into %s', (_what, error) => {
    expect(isAddressInUse(error)).toBe(false);
  });

  it('is reported with the variable that moves it', () => {
    const error = new PortInUseError(9465, "the Temporal SDK's metrics exporter", 'HOOKLINE_SDK_METRICS_PORT', '0 turns it off');
    expect(error.message).toBe(
      "port 9465 (the Temporal SDK's metrics exporter) is already in use by another program; stop it or set HOOKLINE_SDK_METRICS_PORT to another port (0 turns it off).",
    );
  });

  it('reads without a note when there is none', () => {
    expect(new PortInUseError(15432, 'embedded PostgreSQL (PGlite)', 'HOOKLINE_PGLITE_PORT').message).toBe(
      'port 15432 (embedded PostgreSQL (PGlite)) is already in use by another program; stop it or set HOOKLINE_PGLITE_PORT to another port.',
    );
  });
});
