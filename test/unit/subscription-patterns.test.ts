import { matchesEventType, patternsMatchingType } from '../../src/domain/event-match';

describe('subscription patterns for an event type', () => {
  it('lists the wildcard, every prefix wildcard and the exact name', () => {
    expect(patternsMatchingType('lead.task.update')).toEqual(['*', 'lead.*', 'lead.task.*', 'lead.task.update']);
  });

  it('agrees with matchesEventType on matching and non-matching patterns', () => {
    const type = 'campaign.email.open';
    for (const pattern of patternsMatchingType(type)) expect(matchesEventType(pattern, type)).toBe(true);
    for (const pattern of ['campaign', 'campaign.email', 'campaigns.*', 'campaign.email.open.*', 'email.*']) {
      expect(patternsMatchingType(type)).not.toContain(pattern);
      expect(matchesEventType(pattern, type)).toBe(false);
    }
  });
});
