// The search attributes that make deliveries findable in the Temporal UI; registered by dev, tests and compose.
import type { SearchAttributeKey, SearchAttributeType } from '@temporalio/common/lib/search-attributes';

const keyword = (name: string): SearchAttributeKey<'KEYWORD'> => ({ name, type: 'KEYWORD' });
const keywordList = (name: string): SearchAttributeKey<'KEYWORD_LIST'> => ({ name, type: 'KEYWORD_LIST' });

export const workspaceIdAttribute = keyword('HooklineWorkspaceId');
export const eventTypeAttribute = keyword('HooklineEventType');
/** The subject's keyed hash (domain/retention.ts), never the subject: what an erasure finds the subject's workflows by. */
export const subjectHashAttribute = keyword('HooklineSubjectHash');
/*
 * Lists, because one event workflow delivers to all of an event's destinations on its success path:
 * `HooklineDestinationId = "dst_…"` matches a workflow whose list holds that id, and
 * `HooklineDeliveryStatus = "failed"` one where any of its deliveries failed.
 */
export const destinationIdAttribute = keywordList('HooklineDestinationId');
export const deliveryStatusAttribute = keywordList('HooklineDeliveryStatus');

export const SEARCH_ATTRIBUTES: ReadonlyArray<SearchAttributeKey<SearchAttributeType>> = [
  workspaceIdAttribute,
  destinationIdAttribute,
  eventTypeAttribute,
  deliveryStatusAttribute,
  subjectHashAttribute,
];

/** The type as `temporal server start-dev --search-attribute Name=Type` and `temporal operator search-attribute create` spell it. */
export function cliTypeName(key: SearchAttributeKey<SearchAttributeType>): string {
  return key.type === 'KEYWORD_LIST' ? 'KeywordList' : 'Keyword';
}
