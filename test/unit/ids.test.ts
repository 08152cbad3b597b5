import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeTime } from 'ulid';
import { deliveryWorkflowId, deterministicId, eventWorkflowId, healthWorkflowId, newId } from '../../src/domain/ids';

/** The millisecond a time-ordered id was minted, as any ULID reader decodes it. */
const mintedAt = (id: string) => decodeTime(id.slice(id.indexOf('_') + 1));

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const ID_SHAPE = /^evt_[0-9A-HJKMNP-TV-Z]{26}$/;

describe('time-ordered ids', () => {
  afterEach(() => jest.restoreAllMocks());

  it('are the prefix, an underscore and 26 Crockford base32 characters', () => {
    expect(newId('evt')).toMatch(ID_SHAPE);
    expect(newId('dlv')).toMatch(/^dlv_[0-9A-HJKMNP-TV-Z]{26}$/);
  });

  it('embed the creation time in the first ten characters', () => {
    jest.spyOn(Date, 'now').mockReturnValue(Date.UTC(2030, 0, 1));
    expect(mintedAt(newId('ws'))).toBe(Date.UTC(2030, 0, 1));
  });

  it('sort by creation time across milliseconds', () => {
    const now = jest.spyOn(Date, 'now');
    now.mockReturnValue(1_800_000_000_000);
    const earlier = newId('evt');
    now.mockReturnValue(1_800_000_000_001);
    const later = newId('evt');
    expect(earlier < later).toBe(true);
  });

  it('sort in creation order within one millisecond', () => {
    jest.spyOn(Date, 'now').mockReturnValue(1_900_000_000_000);
    const ids = Array.from({ length: 1000 }, () => newId('dlv'));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keep increasing when the clock steps backwards', () => {
    const now = jest.spyOn(Date, 'now');
    now.mockReturnValue(1_950_000_000_000);
    const first = newId('evt');
    now.mockReturnValue(1_949_999_999_000);
    const second = newId('evt');
    expect(second > first).toBe(true);
    expect(mintedAt(second)).toBe(1_950_000_000_000);
  });

  it('refuse to mint while the clock is outside what 48 bits of milliseconds hold, and recover when it is back', () => {
    jest.spyOn(Date, 'now').mockReturnValue(2 ** 48);
    expect(() => newId('evt')).toThrow(RangeError);
    jest.spyOn(Date, 'now').mockReturnValue(1_960_000_000_000);
    expect(mintedAt(newId('evt'))).toBe(1_960_000_000_000);
  });

  it('differ between calls', () => {
    const ids = new Set(Array.from({ length: 500 }, () => newId('key')));
    expect(ids.size).toBe(500);
  });
});

describe('deterministic ids', () => {
  it('are the same for the same parts', () => {
    expect(deterministicId('dlv', 'evt_1', 'dst_2')).toBe(deterministicId('dlv', 'evt_1', 'dst_2'));
  });

  it('differ when any part differs, including where parts are split', () => {
    const ids = new Set([
      deterministicId('dlv', 'evt_1', 'dst_2'),
      deterministicId('dlv', 'evt_1', 'dst_3'),
      deterministicId('dlv', 'evt_1d', 'st_2'),
      deterministicId('dlv', 'evt_1dst_2'),
    ]);
    expect(ids.size).toBe(4);
  });

  it('are the first 26 base32 characters of sha256 over the NUL-joined parts', () => {
    const digest = createHash('sha256').update('evt_1\u0000dst_2').digest();
    const bits = [...digest].map((byte) => byte.toString(2).padStart(8, '0')).join('');
    const expected = Array.from({ length: 26 }, (_, i) => CROCKFORD[parseInt(bits.slice(i * 5, i * 5 + 5), 2)]).join('');
    expect(deterministicId('dlv', 'evt_1', 'dst_2')).toBe(`dlv_${expected}`);
  });

  it('never change: they are the durable ids of existing rows and workflows', () => {
    expect(deterministicId('dlv', 'evt_01J0000000000000000000000', 'dst_01J0000000000000000000001')).toBe('dlv_738XRKKAY8MPBBSJHJ8GEWD3N9');
    expect(deterministicId('evt', 'ws_1', 'order-42')).toBe('evt_9G6K5J33YB14RXE6XJMDMJPCCX');
    expect(deterministicId('x')).toBe('x_WERC8GMRZGE196QVYK49JVXS4G');
  });
});

describe('workflow ids', () => {
  it('name event, delivery and destination health workflows', () => {
    expect(eventWorkflowId('evt_1')).toBe('event-evt_1');
    expect(deliveryWorkflowId('dlv_1')).toBe('delivery-dlv_1');
    expect(healthWorkflowId('dst_1')).toBe('destination-health-dst_1');
  });

  it('live in a module with no imports, so Temporal workflow bundles stay deterministic', () => {
    const source = readFileSync(join(__dirname, '../../src/domain/workflow-ids.ts'), 'utf8');
    expect(source).not.toMatch(/^\s*(import|export .* from)\s|\brequire\(/m);
  });
});
