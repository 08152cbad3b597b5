// @hookline/verify: check that a webhook came from Hookline, in a handler or as Node/Express middleware.
export {
  DEFAULT_HEX_SIGNATURE_HEADER,
  DEFAULT_SHA1_SIGNATURE_HEADER,
  DEFAULT_TOLERANCE_SECONDS,
  verifyWebhook,
  verifyWebhookOrThrow,
  WebhookVerificationError,
  type SignatureScheme,
  type VerificationFailure,
  type VerifyWebhookInput,
  type WebhookHeaders,
} from './verify';
export { webhookMiddleware, type VerifiedRequest, type WebhookMiddlewareOptions } from './middleware';
export type { WebhookAutoDisabledData, WebhookAutoDisabledEvent, WebhookEnvelope, WebhookTestData, WebhookTestEvent } from './envelope';
