// Which instants Hookline can store: the years PostgreSQL's timestamptz and a JavaScript Date agree on.

const STORABLE_YEARS = { min: 1, max: 9999 } as const;

/** True for a real instant in the years 0001–9999; year 0000 exists for JavaScript but not for PostgreSQL (1 BC precedes AD 1). */
export function isStorableInstant(text: string): boolean {
  const time = Date.parse(text);
  if (Number.isNaN(time)) return false;
  const year = new Date(time).getUTCFullYear();
  return year >= STORABLE_YEARS.min && year <= STORABLE_YEARS.max;
}
