// The workspace and API key `npm run dev` prints, created through the real API and remembered under .data.
import { readFile, writeFile } from 'node:fs/promises';

interface DevWorkspace {
  workspaceId: string;
  apiKey: string;
}

async function call(apiUrl: string, token: string, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, string> }> {
  const response = await fetch(`${apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, json: text ? (JSON.parse(text) as Record<string, string>) : {} };
}

/** Reuses the remembered key while it still works (the database may have been wiped), else makes a new workspace. */
export async function ensureDevWorkspace(options: { apiUrl: string; adminToken: string; file: string }): Promise<DevWorkspace> {
  try {
    const remembered = JSON.parse(await readFile(options.file, 'utf8')) as DevWorkspace;
    const probe = await call(options.apiUrl, remembered.apiKey, 'GET', '/v1/event-types?limit=1');
    if (probe.status === 200) return remembered;
  } catch {
    // no file yet, or unreadable: create below
  }
  const workspace = await call(options.apiUrl, options.adminToken, 'POST', '/v1/workspaces', { name: 'Development' });
  if (workspace.status !== 201) throw new Error(`could not create the dev workspace: HTTP ${workspace.status} ${JSON.stringify(workspace.json)}`);
  const key = await call(options.apiUrl, options.adminToken, 'POST', `/v1/workspaces/${workspace.json.id}/api-keys`, { name: 'npm run dev' });
  if (key.status !== 201) throw new Error(`could not create the dev API key: HTTP ${key.status} ${JSON.stringify(key.json)}`);
  const created = { workspaceId: workspace.json.id!, apiKey: key.json.key! };
  // Dev-only convenience: this file holds a live key for the local dev workspace, inside the ignored .data folder.
  await writeFile(options.file, JSON.stringify(created, null, 2), { mode: 0o600 });
  return created;
}
