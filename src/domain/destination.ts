// What a destination is, as rules: its vocabularies, when it counts as paused, and the status people see.

export const HTTP_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE', 'GET'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export const TRIGGERS = ['every_update', 'first_match'] as const;
export type DestinationTrigger = (typeof TRIGGERS)[number];

export const SIGNATURE_SCHEMES = ['standard_webhooks', 'hmac_sha256_hex'] as const;
export type SignatureScheme = (typeof SIGNATURE_SCHEMES)[number];

export const DESTINATION_STATUSES = ['active', 'inactive', 'auto_disabled'] as const;
export type DestinationStatus = (typeof DESTINATION_STATUSES)[number];

/** The two switches that stop deliveries: a person's (`enabled`) and the health workflow's (`auto_disabled_at`). */
export interface PauseSwitches {
  enabled: boolean;
  auto_disabled_at: Date | null;
}

/** Paused: nothing goes out (deliveries are held), except test sends, which are how a person checks it. */
export function isPaused(destination: PauseSwitches): boolean {
  return destinationStatus(destination) !== 'active';
}

/** A person's switch wins over the health workflow's: a destination turned off reads inactive, whatever its health. */
export function destinationStatus(destination: PauseSwitches): DestinationStatus {
  if (!destination.enabled) return 'inactive';
  return destination.auto_disabled_at !== null ? 'auto_disabled' : 'active';
}

/** A person turning a destination on is also the way back from auto-disable; only a real transition counts. */
export function isReenabling(current: PauseSwitches, requestedEnabled: boolean | undefined): boolean {
  return requestedEnabled === true && isPaused(current);
}
