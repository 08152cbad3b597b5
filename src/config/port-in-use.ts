// A listening port that is taken, reported with the variable that moves it: one message for every process and port.

export class PortInUseError extends Error {
  override name = 'PortInUseError';
  constructor(
    readonly port: number,
    readonly what: string,
    readonly variable: string,
    note = '',
  ) {
    super(`port ${port} (${what}) is already in use by another program; stop it or set ${variable} to another port${note ? ` (${note})` : ''}.`);
  }
}

/**
 * Node's EADDRINUSE, or the Temporal SDK's native exporter failing with the OS's own words
 * ("Failed to start prometheus metrics exporter: Address already in use (os error 98)").
 */
export function isAddressInUse(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  if ((error as { code?: unknown }).code === 'EADDRINUSE') return true;
  return error instanceof Error && /address already in use/i.test(error.message);
}
