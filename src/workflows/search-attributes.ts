// The search attributes that make deliveries findable in the Temporal UI; registered by dev, tests and compose.
import type { SearchAttributeKey } from '@temporalio/common/lib/search-attributes';

const keyword = (name: string): SearchAttributeKey<'KEYWORD'> => ({ name, type: 'KEYWORD' });

export const workspaceIdAttribute = keyword('HooklineWorkspaceId');
export const destinationIdAttribute = keyword('HooklineDestinationId');
export const eventTypeAttribute = keyword('HooklineEventType');
export const deliveryStatusAttribute = keyword('HooklineDeliveryStatus');

/** Name → type, in the form `temporal server start-dev --search-attribute` and the operator API take. */
export const SEARCH_ATTRIBUTES: ReadonlyArray<SearchAttributeKey<'KEYWORD'>> = [
  workspaceIdAttribute,
  destinationIdAttribute,
  eventTypeAttribute,
  deliveryStatusAttribute,
];
