// Masks credentials in a stored request before anyone is shown it: the attempt log is history, not a place to read secrets from.

const SECRET_NAME = /(authorization|auth|token|secret|password|passwd|api[-_]?key|cookie|signature|session)/i;

export const MASK = '••••••';

export function maskHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, SECRET_NAME.test(name) ? MASK : value]));
}

/** User info and query values whose names look like credentials; anything unparseable is shown as is. */
export function maskUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return text;
  }
  if (url.username) url.username = MASK;
  if (url.password) url.password = MASK;
  for (const name of [...new Set(url.searchParams.keys())]) {
    if (SECRET_NAME.test(name)) url.searchParams.set(name, MASK);
  }
  return url.toString();
}
