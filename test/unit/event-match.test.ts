import {
  InvalidFilterError,
  isValidEventTypeName,
  isValidEventTypePattern,
  matchesEventType,
  matchesFilter,
  validateFilter,
} from '../../src/domain/event-match';

describe('event type names', () => {
  it.each(['contact.created', 'lead.task.completed', 'a1.b_2', 'invoice.payment_failed', 'a.b.c.d.e.f.g.h'])('accepts %s', (name) => {
    expect(isValidEventTypeName(name)).toBe(true);
  });

  it.each([
    'contact',
    'Contact.created',
    'contact.',
    '.created',
    'contact..created',
    '1contact.created',
    'contact.created-v2',
    'contact.*',
    '*',
    'a.b.c.d.e.f.g.h.i',
    `a.${'b'.repeat(127)}`,
    '',
  ])('rejects %j', (name) => {
    expect(isValidEventTypeName(name)).toBe(false);
  });
});

describe('event type patterns', () => {
  it.each(['*', 'contact.created', 'contact.*', 'lead.task.*'])('accepts %s', (pattern) => {
    expect(isValidEventTypePattern(pattern)).toBe(true);
  });

  it.each(['contact', '*.created', 'contact.*.added', 'contact*', 'Contact.*', '.*', 'contact.**', 'a.b.c.d.e.f.g.h.*'])('rejects %j', (pattern) => {
    expect(isValidEventTypePattern(pattern)).toBe(false);
  });
});

describe('event type matching', () => {
  it('matches everything with *', () => {
    expect(matchesEventType('*', 'contact.created')).toBe(true);
    expect(matchesEventType('*', 'lead.task.completed')).toBe(true);
  });

  it('matches exact names only exactly', () => {
    expect(matchesEventType('contact.created', 'contact.created')).toBe(true);
    expect(matchesEventType('contact.created', 'contact.created.late')).toBe(false);
    expect(matchesEventType('contact.created', 'contact.updated')).toBe(false);
  });

  it('matches a prefix wildcard at any depth below it', () => {
    expect(matchesEventType('contact.*', 'contact.created')).toBe(true);
    expect(matchesEventType('contact.*', 'contact.note.added')).toBe(true);
  });

  it('does not match the prefix itself or a longer sibling name', () => {
    expect(matchesEventType('contact.*', 'contact')).toBe(false);
    expect(matchesEventType('contact.*', 'contacts.created')).toBe(false);
    expect(matchesEventType('lead.task.*', 'lead.created')).toBe(false);
  });
});

describe('payload filter validation', () => {
  it('accepts declarative filters over envelope paths', () => {
    expect(validateFilter({ 'data.segment_id': { $in: ['seg_1'] }, 'data.pixel_id': 'px_9' })).toEqual({ ok: true });
    expect(validateFilter({ $or: [{ 'data.total': { $gte: 100 } }, { 'data.vip': true }] })).toEqual({ ok: true });
    expect(validateFilter({ 'data.email': { $regex: '@example\\.com$', $options: 'i' } })).toEqual({ ok: true });
    expect(validateFilter({ 'data.tags': { $elemMatch: { $eq: 'x' } }, 'data.items': { $size: 2 }, 'data.x': { $exists: false } })).toEqual({ ok: true });
    expect(validateFilter({ 'data.n': { $not: { $lt: 3 } }, 'data.tags': { $all: ['a'], $nin: ['b'] }, $nor: [{ type: 'a.b' }] })).toEqual({ ok: true });
  });

  it('rejects anything but a plain object', () => {
    for (const filter of [null, [], 'data.x', 42, true]) {
      expect(validateFilter(filter)).toEqual({ ok: false, message: expect.any(String) });
    }
  });

  it('rejects code-running and unknown operators, pointing at them', () => {
    expect(validateFilter({ $where: 'this.data.x === 1' })).toEqual({ ok: false, message: expect.stringContaining('$where'), path: '/$where' });
    expect(validateFilter({ 'data.x': { $function: {} } })).toEqual({ ok: false, message: expect.stringContaining('$function'), path: '/data.x/$function' });
    expect(validateFilter({ $and: [{ 'data.x': { $mod: [2, 0] } }] })).toMatchObject({ ok: false, path: '/$and/0/data.x/$mod' });
  });

  it('rejects regexes longer than 256 characters or that do not compile', () => {
    expect(validateFilter({ 'data.x': { $regex: 'a'.repeat(256) } })).toEqual({ ok: true });
    expect(validateFilter({ 'data.x': { $regex: 'a'.repeat(257) } })).toMatchObject({ ok: false, message: expect.stringContaining('256') });
    expect(validateFilter({ 'data.x': { $regex: '(' } })).toMatchObject({ ok: false });
    expect(validateFilter({ 'data.x': { $regex: 'a', $options: 'g' } })).toMatchObject({ ok: false });
  });

  it('rejects operators given the wrong kind of value', () => {
    expect(validateFilter({ 'data.x': { $in: 'seg_1' } })).toMatchObject({ ok: false });
    expect(validateFilter({ $or: [] })).toMatchObject({ ok: false });
    expect(validateFilter({ $or: { a: 1 } })).toMatchObject({ ok: false });
    expect(validateFilter({ 'data.x': { $exists: 1 } })).toMatchObject({ ok: false });
    expect(validateFilter({ 'data.x': { $size: -1 } })).toMatchObject({ ok: false });
  });

  it('rejects nesting deeper than 8 levels', () => {
    // Every object and array is a level: {$and: [ ... ]} adds two, the innermost {'data.x': {$eq: 1}} two more.
    const nest = (ands: number): Record<string, unknown> => (ands === 0 ? { 'data.x': { $eq: 1 } } : { $and: [nest(ands - 1)] });
    expect(validateFilter(nest(3))).toEqual({ ok: true });
    expect(validateFilter(nest(4))).toEqual({ ok: false, message: expect.stringContaining('8 levels'), path: '/$and/0/$and/0/$and/0/$and/0' });
  });
});

describe('payload filter matching', () => {
  const envelope = {
    id: 'evt_1',
    type: 'contact.created',
    timestamp: '2025-01-01T00:00:00.000Z',
    workspace_id: 'ws_1',
    data: { segment_id: 'seg_1', pixel_id: 'px_9', total: 120, tags: ['vip', 'eu'], email: 'Ann@Example.com' },
  };

  it('passes every event when there is no filter', () => {
    expect(matchesFilter(null, envelope)).toBe(true);
  });

  it('matches on membership and equality together', () => {
    const filter = { 'data.segment_id': { $in: ['seg_1'] }, 'data.pixel_id': 'px_9' };
    expect(matchesFilter(filter, envelope)).toBe(true);
    expect(matchesFilter(filter, { ...envelope, data: { ...envelope.data, pixel_id: 'px_8' } })).toBe(false);
    expect(matchesFilter(filter, { ...envelope, data: { ...envelope.data, segment_id: 'seg_2' } })).toBe(false);
  });

  it('supports comparisons, logic, arrays and regexes', () => {
    expect(matchesFilter({ 'data.total': { $gt: 100 } }, envelope)).toBe(true);
    expect(matchesFilter({ $or: [{ 'data.total': { $lt: 10 } }, { 'data.tags': 'vip' }] }, envelope)).toBe(true);
    expect(matchesFilter({ 'data.tags': { $all: ['vip', 'us'] } }, envelope)).toBe(false);
    expect(matchesFilter({ 'data.email': { $regex: '@example\\.com$', $options: 'i' } }, envelope)).toBe(true);
    expect(matchesFilter({ 'data.email': { $regex: '@example\\.com$' } }, envelope)).toBe(false);
    expect(matchesFilter({ 'data.missing': { $exists: false } }, envelope)).toBe(true);
  });

  it('refuses to run a filter that fails validation', () => {
    expect(() => matchesFilter({ $where: 'true' }, envelope)).toThrow(InvalidFilterError);
  });
});
