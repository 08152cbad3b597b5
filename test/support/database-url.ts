// Small pieces the global setup and teardown share: a typed setup error and database URL rewriting.
export class SetupError extends Error {
  override name = 'SetupError';
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
