// What a destination is, as rules: its vocabularies, when it counts as paused, and the status people see.

export const HTTP_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE', 'GET'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export const TRIGGERS = ['every_update', 'first_match'] as const;
export type DestinationTrigger = (typeof TRIGGERS)[number];

/**
 * `standard_webhooks`: v1 (HMAC-SHA256); `standard_webhooks_ed25519`: v1a (ed25519, receivers hold the public key);
 * `hmac_sha256_hex`: `sha256=<hex>` in one header; `hmac_sha1_hex`: Segment's bare hex HMAC-SHA1 `X-Signature`.
 */
export const SIGNATURE_SCHEMES = ['standard_webhooks', 'standard_webhooks_ed25519', 'hmac_sha256_hex', 'hmac_sha1_hex'] as const;
export type SignatureScheme = (typeof SIGNATURE_SCHEMES)[number];
export type HexSignatureScheme = Extract<SignatureScheme, 'hmac_sha256_hex' | 'hmac_sha1_hex'>;

/** The schemes that put one HMAC of the body in a header of the destination's choosing. */
export function isHexScheme(scheme: SignatureScheme): scheme is HexSignatureScheme {
  return scheme === 'hmac_sha256_hex' || scheme === 'hmac_sha1_hex';
}

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
