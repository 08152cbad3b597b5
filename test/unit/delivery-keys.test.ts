import { decodeCursor, encodeCursor } from '../../src/api/http/pagination';
import { InvalidInputError } from '../../src/domain/errors';
import { formatDeliveryKey, parseDeliveryKey } from '../../src/store/delivery-keys';

/** What a client sees for a cursor: the key it stands for, or the error the API answers with. */
function readCursor(cursor: string): unknown {
  try {
    const text = decodeCursor(cursor);
    return text === undefined ? undefined : parseDeliveryKey(text);
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    return { code: error.code, details: error.details };
  }
}

const refused = { code: 'invalid_cursor', details: [{ path: 'query.cursor', message: 'unrecognised cursor' }] };

describe('delivery list cursors', () => {
  it('read back the key they were made from, microseconds included', () => {
    const key = { createdAt: '2026-03-01T10:20:30.123456Z', id: 'dl_01HX' };
    expect(readCursor(encodeCursor(formatDeliveryKey(key)))).toEqual(key);
  });

  it('accept the first and the last storable year', () => {
    for (const createdAt of ['0001-01-01T00:00:00.000000Z', '9999-12-31T23:59:59.999999Z']) {
      expect(readCursor(encodeCursor(formatDeliveryKey({ createdAt, id: 'dl_1' })))).toEqual({ createdAt, id: 'dl_1' });
    }
  });

  it.each([
    ['the year 0000, which PostgreSQL does not have', '0000-01-01T00:00:00.000000Z|dl_1'],
    ['a day that does not exist', '2025-02-30T00:00:00.000000Z|dl_1'],
    ['hour 24', '2025-01-01T24:00:00.000000Z|dl_1'],
    ['milliseconds instead of microseconds', '2025-01-01T00:00:00.000Z|dl_1'],
    ['no id', '2025-01-01T00:00:00.000000Z|'],
    ['no time', 'dl_1'],
  ])('refuse a key with %s as invalid_cursor on query.cursor', (_what, key) => {
    expect(readCursor(encodeCursor(key))).toEqual(refused);
  });

  it('refuse text that is not base64url of a key', () => {
    expect(readCursor('not a cursor!')).toEqual(refused);
  });

  it('read an empty cursor as the first page', () => {
    expect(readCursor('')).toBeUndefined();
  });
});
