// The search attributes Hookline's workflows set are the ones every deployment path registers, with the same types.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliTypeName, SEARCH_ATTRIBUTES } from '../../src/workflows/search-attributes';

describe('search attribute registration', () => {
  it('docker compose registers every attribute the workflows set, with its type', () => {
    const script = readFileSync(join(__dirname, '..', '..', 'deploy', 'register-search-attributes.sh'), 'utf8');
    const defaults = /HOOKLINE_SEARCH_ATTRIBUTES:-([^}]*)\}/.exec(script)?.[1]?.split(/\s+/).filter(Boolean).sort();
    expect(defaults).toEqual(SEARCH_ATTRIBUTES.map((attribute) => `${attribute.name}=${cliTypeName(attribute)}`).sort());
  });

  it('lists destinations and statuses, so one event workflow is found by any of its deliveries, and the subject only as its keyed hash', () => {
    expect(SEARCH_ATTRIBUTES.map((attribute) => [attribute.name, cliTypeName(attribute)])).toEqual([
      ['HooklineWorkspaceId', 'Keyword'],
      ['HooklineDestinationId', 'KeywordList'],
      ['HooklineEventType', 'Keyword'],
      ['HooklineDeliveryStatus', 'KeywordList'],
      ['HooklineSubjectHash', 'Keyword'],
    ]);
  });
});
