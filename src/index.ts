// What Hookline offers as a library: the receiver-side signature verifier and the signing scheme types.
export { verifyWebhook, verifyWebhookOrThrow, WebhookVerificationError, type SignatureScheme, type VerifyWebhookInput } from './domain/sign';
