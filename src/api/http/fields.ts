// zod fields several API shapes share, so a rule about a field is written once.
import { isStorableInstant } from '../../domain/instant';
import { z } from './openapi';

/** An ISO 8601 instant with an offset, within the range every store of ours can hold. */
export function isoInstant() {
  return z.iso.datetime({ offset: true }).refine(isStorableInstant, 'must be a real instant between the years 0001 and 9999');
}
