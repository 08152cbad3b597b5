// zod fields several API shapes share, so a rule about a field is written once.
import { z } from './openapi';

/** The years PostgreSQL's timestamptz and a JavaScript Date agree on; year 0000 and beyond 9999 are refused, not a 500. */
function storableInstant(text: string): boolean {
  const time = Date.parse(text);
  if (Number.isNaN(time)) return false;
  const year = new Date(time).getUTCFullYear();
  return year >= 1 && year <= 9999;
}

/** An ISO 8601 instant with an offset, within the range every store of ours can hold. */
export function isoInstant() {
  return z.iso.datetime({ offset: true }).refine(storableInstant, 'must be a real instant between the years 0001 and 9999');
}
