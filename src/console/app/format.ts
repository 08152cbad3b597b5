// How numbers, rates and times read on screen.

export function percent(rate: number | null): string {
  return rate === null ? '—' : `${Math.round(rate * 1000) / 10}%`;
}

export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

export function milliseconds(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? '—' : `${ms} ms`;
}

export const TRIGGER_LABELS = { every_update: 'Every update', first_match: 'First match' } as const;

export const STATUS_LABELS = { active: 'Active', inactive: 'Inactive', auto_disabled: 'Auto-disabled' } as const;

/** A local datetime-local value as the ISO instant the API filters take. */
export function isoFromLocal(value: string): string | undefined {
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
