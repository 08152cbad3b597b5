import { parseDuration, parseDurationList } from '../../src/config/duration';
import { ConfigError, loadConfig } from '../../src/config/config';

describe('durations', () => {
  it.each([
    ['250ms', 250],
    ['5s', 5_000],
    ['5m', 300_000],
    ['2h', 7_200_000],
    ['1.5h', 5_400_000],
    ['3d', 259_200_000],
    ['1500', 1_500],
    [' 5 s ', 5_000],
    ['0', 0],
  ])('read %j as %d milliseconds', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '5 minutes', '1y', '1w', '-5s', '.5s', '5S', '5M', '5sec', 's', '5s5m', '1e3'])(
    'refuse %j, so a typo cannot become a silent default',
    (text) => {
      expect(() => parseDuration(text)).toThrow(/not a duration/);
    },
  );

  it('read comma-separated lists, ignoring empty items', () => {
    expect(parseDurationList('5s, 5m,30m,')).toEqual([5_000, 300_000, 1_800_000]);
  });

  it('refuse a list with one bad item', () => {
    expect(() => parseDurationList('5s,5x')).toThrow(/not a duration: "5x"/);
  });
});

describe('duration settings', () => {
  const base = { DATABASE_URL: 'postgres://localhost/db', HOOKLINE_ADMIN_TOKEN: 'a'.repeat(16), HOOKLINE_ENCRYPTION_KEY: Buffer.alloc(32).toString('base64') };

  it('are read into milliseconds', () => {
    const config = loadConfig({ ...base, HOOKLINE_SECRET_ROTATION_GRACE: '2d', HOOKLINE_RETRY_SCHEDULE: '1s,1m' });
    expect(config.delivery.secretRotationGraceMs).toBe(172_800_000);
    expect(config.delivery.retryScheduleMs).toEqual([1_000, 60_000]);
  });

  it('stop the process with a message naming the variable when mistyped', () => {
    expect(() => loadConfig({ ...base, HOOKLINE_SECRET_ROTATION_GRACE: '3 days' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, HOOKLINE_SECRET_ROTATION_GRACE: '3 days' })).toThrow(/HOOKLINE_SECRET_ROTATION_GRACE: not a duration: "3 days"/);
    expect(() => loadConfig({ ...base, HOOKLINE_RETRY_SCHEDULE: '5s,5mn' })).toThrow(/HOOKLINE_RETRY_SCHEDULE: not a duration: "5mn"/);
  });
});
