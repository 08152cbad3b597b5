// A secret the API just returned, handed to the next screen once and then forgotten: it is never fetched again.

let pending: { destinationId: string; secret: string; expiresPrevious: string | null } | null = null;

export function handOver(destinationId: string, secret: string, expiresPrevious: string | null = null): void {
  pending = { destinationId, secret, expiresPrevious };
}

export function takeSecret(destinationId: string): { secret: string; expiresPrevious: string | null } | null {
  if (pending?.destinationId !== destinationId) return null;
  const taken = pending;
  pending = null;
  return { secret: taken.secret, expiresPrevious: taken.expiresPrevious };
}
