// Rotating what a destination signs with: its HMAC secret (shown once) and its ed25519 key pair (only the public key is ever shown).
import type { Config } from '../../config/config';
import { sealSecret } from '../../domain/secret-box';
import { generateSecret } from '../../domain/sign';
import { generateSigningKey, signingKeyPairOf } from '../../domain/signing-key';
import { rotateSecret, rotateSigningKey } from '../../store/secret-rotation';
import type { ApiDeps } from '../http/deps';
import type { RouteTable } from '../http/route';
import { rotateSecretSchema, rotateSigningKeySchema } from './auth-schemas';
import { destinationParams, destinationSchema, secretRotatedSchema, toDestinationJson } from './schemas';

/** The grace period a rotation asked for, else the configured one: how long the replaced secret or key keeps signing. */
function graceMsOf(seconds: number | undefined, config: Config): number {
  return seconds !== undefined ? seconds * 1000 : config.delivery.secretRotationGraceMs;
}

export function registerDestinationKeyRoutes(routes: RouteTable, { config, db }: ApiDeps): void {
  routes.add({
    method: 'post',
    path: '/v1/destinations/:id/rotate-secret',
    operationId: 'rotateDestinationSecret',
    summary: 'Issue a new signing secret (shown once); the old one keeps signing for a grace period',
    tag: 'Destinations',
    access: 'workspace',
    portal: 'write',
    scopedBy: 'destination',
    params: destinationParams,
    body: rotateSecretSchema,
    responses: { 200: { description: 'The new secret', schema: secretRotatedSchema } },
    handler: async ({ params, body, workspaceId }) => {
      const secret = body.secret ?? generateSecret();
      const graceMs = graceMsOf(body.grace_period_seconds, config);
      const { row, eventTypes } = await rotateSecret(db, workspaceId, params.id, { secretSealed: sealSecret(secret, config.encryptionKey), graceMs });
      return {
        status: 200,
        body: { ...toDestinationJson(row, eventTypes), secret, previous_secret_expires_at: row.previous_secret_expires_at?.toISOString() ?? null },
      };
    },
  });

  routes.add({
    method: 'post',
    path: '/v1/destinations/:id/rotate-signing-key',
    operationId: 'rotateDestinationSigningKey',
    summary: 'Make a new ed25519 key pair for v1a signatures; the old key keeps signing beside it for a grace period',
    tag: 'Destinations',
    access: 'workspace',
    portal: 'write',
    scopedBy: 'destination',
    params: destinationParams,
    body: rotateSigningKeySchema,
    responses: { 200: { description: 'The destination with its new public_key (and previous_public_key while the old one signs)', schema: destinationSchema } },
    handler: async ({ params, body, workspaceId }) => {
      const pair = body.private_key !== undefined ? signingKeyPairOf(body.private_key) : generateSigningKey();
      const graceMs = graceMsOf(body.grace_period_seconds, config);
      const { row, eventTypes } = await rotateSigningKey(db, workspaceId, params.id, {
        signingKeySealed: sealSecret(pair.privateKey, config.encryptionKey),
        publicKey: pair.publicKey,
        graceMs,
      });
      return { status: 200, body: toDestinationJson(row, eventTypes) };
    },
  });
}
