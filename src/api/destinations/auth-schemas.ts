// How receivers authenticate Hookline, as wire shapes: Basic auth and OAuth (write-only secrets), the ed25519 public keys, and the rotation bodies.
import { MAX_BASIC_AUTH_LENGTH } from '../../domain/basic-auth';
import { MAX_PEM_LENGTH } from '../../domain/client-tls';
import { OAUTH_CLIENT_AUTH } from '../../domain/oauth';
import { MIN_SECRET_LENGTH, validateSecret } from '../../domain/sign';
import { signingKeyProblem } from '../../domain/signing-key';
import { z } from '../http/openapi';

export const MAX_SECRET_LENGTH = 256;
export const MAX_GRACE_SECONDS = 7 * 24 * 3600;

/** A secret the user brings: its length for the document, the signer's own rule for what it can sign with. */
export const secretField = () =>
  z
    .string()
    .min(MIN_SECRET_LENGTH)
    .max(MAX_SECRET_LENGTH)
    .superRefine((secret, ctx) => {
      const problem = validateSecret(secret);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

export const basicAuthInput = z
  .strictObject({
    username: z.string().min(1).max(MAX_BASIC_AUTH_LENGTH),
    password: z.string().min(1).max(MAX_BASIC_AUTH_LENGTH),
  })
  .nullable()
  .openapi('BasicAuth', {
    description:
      'Sent as `Authorization: Basic …` with every request. Write-only password: answers show it masked, and a PATCH that sends the mask back keeps it. Null: none.',
    example: { username: 'hookline', password: 'correct horse battery staple' },
  });

export const oauthInput = z
  .strictObject({
    token_url: z.string().trim().min(1).max(2_048).openapi({ example: 'https://auth.example.com/oauth/token' }),
    client_id: z.string().min(1).max(512),
    client_secret: z.string().min(1).max(2_048).openapi({ description: 'Write-only: answers show it masked; sent back masked, it is kept.' }),
    scope: z.string().min(1).max(1_024).nullable().default(null),
    audience: z.string().min(1).max(1_024).nullable().default(null).openapi({ description: 'Sent as `audience` (Auth0 and others ask for it).' }),
    client_auth: z
      .enum(OAUTH_CLIENT_AUTH)
      .default('basic')
      .openapi({ description: '`basic`: client id and secret in an HTTP Basic header (RFC 6749 §2.3.1); `body`: in the form body.' }),
  })
  .nullable()
  .openapi('OAuthClientCredentials', {
    description:
      'OAuth 2.0 client credentials (RFC 6749 §4.4): Hookline fetches a token from `token_url` before the first delivery, shares it between its workers until shortly before `expires_in`, sends it as `Authorization: Bearer …`, and fetches a fresh one once when the receiver answers 401. A token endpoint that fails makes the attempt fail with `oauth_token_failed: <status> <error>`. Null: none.',
  });

export const clientTlsInput = z
  .strictObject({
    certificate: z.string().min(1).max(MAX_PEM_LENGTH).openapi({
      description: 'PEM: the client certificate Hookline presents, then any intermediates the receiver needs. Refused when expired or not matching the key.',
    }),
    private_key: z.string().min(1).max(MAX_PEM_LENGTH).openapi({
      description:
        "The certificate's private key, PEM, unencrypted (Hookline seals it at rest). Write-only: answers show it masked; sent back masked, it is kept.",
    }),
    ca: z.string().min(1).max(MAX_PEM_LENGTH).nullable().default(null).openapi({
      description: "PEM bundle of the CAs trusted for this receiver's certificate, instead of the system's roots (a private CA). Null: the system's roots.",
    }),
  })
  .nullable()
  .openapi('ClientTls', {
    description:
      'Mutual TLS: Hookline presents this client certificate to receivers that ask for one (an `https` URL). Its expiry is in every answer and on `/metrics` (`hookline_client_certificate_expiry_timestamp_seconds`). Null: none.',
  });

export const clientTlsAnswer = z
  .object({
    certificate: z.string(),
    private_key: z.string().openapi({ example: '••••••' }),
    ca: z.string().nullable(),
    subject: z.string().openapi({ example: 'CN=hookline, O=Example' }),
    issuer: z.string().openapi({ example: 'CN=Example Client CA' }),
    expires_at: z.iso.datetime().openapi({ description: 'When the client certificate stops working: renew it before then.' }),
    fingerprint_sha256: z.string(),
  })
  .nullable();

export const basicAuthAnswer = z.object({ username: z.string(), password: z.string().openapi({ example: '••••••' }) }).nullable();

export const oauthAnswer = z
  .object({
    token_url: z.string(),
    client_id: z.string(),
    client_secret: z.string().openapi({ example: '••••••' }),
    scope: z.string().nullable(),
    audience: z.string().nullable(),
    client_auth: z.enum(OAUTH_CLIENT_AUTH),
  })
  .nullable();

export const publicKeyAnswer = z.string().nullable().openapi({
  description:
    'The `whpk_` ed25519 public key that `v1a` signatures verify with: made when the destination first uses standard_webhooks_ed25519, kept if it switches away and back. Not a secret.',
  example: 'whpk_kFAoW0hBmOVl4ZQKaZ4xpxqS7R6TkiQzRUjtuYDH6oI=',
});

export const previousPublicKeyAnswer = z
  .object({ public_key: z.string(), expires_at: z.iso.datetime() })
  .nullable()
  .openapi({ description: 'During a key rotation: the old key, whose v1a signature is sent too until `expires_at`.' });

/** How long what a rotation replaces keeps signing beside the new one. */
const gracePeriodField = (what: 'secret' | 'key') =>
  z
    .number()
    .int()
    .min(0)
    .max(MAX_GRACE_SECONDS)
    .optional()
    .openapi({ description: `How long the old ${what} keeps signing too (default 24 h; 0 retires it at once).` });

export const rotateSecretSchema = z
  .strictObject({
    grace_period_seconds: gracePeriodField('secret'),
    secret: secretField().optional(),
  })
  .openapi('RotateSecret');

export const rotateSigningKeySchema = z
  .strictObject({
    grace_period_seconds: gracePeriodField('key'),
    private_key: z
      .string()
      .max(200)
      .superRefine((key, ctx) => {
        const problem = signingKeyProblem(key);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional()
      .openapi({
        description: 'Your own `whsk_` ed25519 key (base64 of the 32-byte seed, or of seed and public key); made for you when omitted. Never shown back.',
      }),
  })
  .openapi('RotateSigningKey');
