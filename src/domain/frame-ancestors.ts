// Which origins may frame a workspace's portal: the setting's rule and the CSP directive made from it.

/** An origin (scheme, host, optional port) or a wildcard subdomain, nothing that could end or extend a CSP directive. */
const SOURCE = /^https?:\/\/(\*\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/;

export const MAX_FRAME_ANCESTORS = 20;

/** Why an entry cannot be a frame ancestor, or null when it can. */
export function frameAncestorProblem(source: string): string | null {
  if (!SOURCE.test(source)) return 'must be an origin such as https://app.example.com or https://*.example.com (no path, no quotes)';
  return null;
}

/** The CSP directive: the workspace's origins, or 'none' so the console cannot be framed at all. */
export function frameAncestorsDirective(sources: readonly string[]): string {
  const valid = sources.filter((source) => frameAncestorProblem(source) === null);
  return `frame-ancestors ${valid.length > 0 ? valid.join(' ') : "'none'"}`;
}
