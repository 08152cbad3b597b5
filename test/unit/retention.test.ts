// The rules of retention and the subject's keyed hash, without a server.
import { checkRetention, payloadStateOf, retentionCutoffs, subjectHash } from '../../src/domain/retention';
import { RuleViolationError } from '../../src/domain/errors';

const DAY = 86_400;
const KEY = Buffer.alloc(32, 7);

describe('retention windows', () => {
  const refusal = (payloadSeconds: number, recordSeconds: number, min = 3_600) => {
    try {
      checkRetention({ payloadSeconds, recordSeconds }, min);
      return null;
    } catch (error) {
      return error instanceof RuleViolationError ? [error.code, error.details[0]!.path] : error;
    }
  };

  it('takes windows between the configured minimum and ten years, records at least as long as payloads', () => {
    expect(refusal(30 * DAY, 90 * DAY)).toBeNull();
    expect(refusal(DAY, DAY)).toBeNull();
    expect(refusal(60, 90 * DAY)).toEqual(['invalid_retention', 'body.payload_retention_seconds']);
    expect(refusal(30 * DAY, 11 * 365 * DAY)).toEqual(['invalid_retention', 'body.record_retention_seconds']);
    expect(refusal(90 * DAY, 30 * DAY)).toEqual(['invalid_retention', 'body.record_retention_seconds']);
    expect(refusal(2, 3, 1)).toBeNull();
  });

  it('cuts payloads and records at their own distances from now', () => {
    const now = new Date('2026-12-04T12:00:00Z');
    expect(retentionCutoffs({ payloadSeconds: DAY, recordSeconds: 3 * DAY }, now)).toEqual({
      payloadBefore: new Date('2026-12-03T12:00:00Z'),
      recordBefore: new Date('2026-12-01T12:00:00Z'),
    });
  });

  it('says what became of an event’s data, erasure first', () => {
    const at = new Date();
    expect(payloadStateOf({ payload_expired_at: null, erased_at: null })).toBe('kept');
    expect(payloadStateOf({ payload_expired_at: at, erased_at: null })).toBe('expired');
    expect(payloadStateOf({ payload_expired_at: at, erased_at: at })).toBe('erased');
  });
});

describe('the subject’s keyed hash', () => {
  it('is stable, differs by workspace and key, and does not contain the subject', () => {
    const hash = subjectHash(KEY, 'ws_1', 'contact_42');
    expect(subjectHash(KEY, 'ws_1', 'contact_42')).toBe(hash);
    expect(subjectHash(KEY, 'ws_2', 'contact_42')).not.toBe(hash);
    expect(subjectHash(Buffer.alloc(32, 8), 'ws_1', 'contact_42')).not.toBe(hash);
    expect(hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(hash).not.toContain('contact');
  });
});
