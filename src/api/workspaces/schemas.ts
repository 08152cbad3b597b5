// The operator's wire shapes: workspaces and their API keys.
import { z } from '../http/openapi';

export const workspaceSchema = z.object({ id: z.string(), name: z.string() }).openapi('Workspace');
export const workspaceListedSchema = workspaceSchema.extend({ created_at: z.date() }).openapi('WorkspaceListed');
export const createWorkspaceSchema = z.strictObject({ name: z.string().trim().min(1).max(200) }).openapi('CreateWorkspace');
export const workspaceParams = z.object({ id: z.string() });
export const createKeySchema = z.strictObject({ name: z.string().trim().max(200).optional() }).openapi('CreateApiKey');
export const apiKeyCreatedSchema = z
  .object({ id: z.string(), key: z.string().openapi({ description: 'Shown once; store it now.' }), prefix: z.string() })
  .openapi('ApiKeyCreated');
export const apiKeySchema = z
  .object({ id: z.string(), name: z.string().nullable(), prefix: z.string(), created_at: z.date(), revoked_at: z.date().nullable() })
  .openapi('ApiKey');
