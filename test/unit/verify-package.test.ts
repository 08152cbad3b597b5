// The receiver package and Hookline's signer agree: @hookline/verify accepts what src/domain/sign.ts signs, rotations included.
import { DEFAULT_HEX_SIGNATURE_HEADER as PACKAGE_HEX_HEADER, DEFAULT_TOLERANCE_SECONDS as PACKAGE_TOLERANCE, verifyWebhook } from '@hookline/verify';
import { DEFAULT_HEX_SIGNATURE_HEADER, DEFAULT_TOLERANCE_SECONDS, generateSecret, signHexHmac, signStandardWebhooks } from '../../src/domain/sign';

const body = JSON.stringify({
  id: 'evt_1',
  type: 'contact.created',
  timestamp: '2025-01-15T09:30:00.000Z',
  workspace_id: 'ws_1',
  data: { email: 'zoë@example.com' },
});
const now = Math.floor(Date.now() / 1000);

describe('@hookline/verify against the signer Hookline delivers with', () => {
  it.each([
    ['a generated whsec_ secret', generateSecret()],
    ['a secret of the user’s own', 'a-user-supplied-secret-text'],
  ])('verifies Standard Webhooks signed with %s, alone and during a rotation', (_what, secret) => {
    const old = generateSecret();
    const single = signStandardWebhooks({ id: 'dlv_1', timestampSeconds: now, body, secrets: [secret] });
    const rotating = signStandardWebhooks({ id: 'dlv_1', timestampSeconds: now, body, secrets: [secret, old] });
    expect(verifyWebhook({ headers: single, body, secret })).toBe(true);
    expect(verifyWebhook({ headers: rotating, body, secret: old })).toBe(true);
    expect(verifyWebhook({ headers: single, body, secret: old })).toBe(false);
  });

  it('verifies the hex scheme in the default and a custom header, alone and during a rotation', () => {
    const secret = generateSecret();
    const old = 'an-older-secret-of-the-user';
    expect(verifyWebhook({ scheme: 'hmac_sha256_hex', headers: signHexHmac({ body, secrets: [secret] }), body, secret })).toBe(true);
    const custom = signHexHmac({ body, secrets: [secret, old], header: 'X-Hook-Sig' });
    expect(verifyWebhook({ scheme: 'hmac_sha256_hex', header: 'X-Hook-Sig', headers: custom, body, secret: old })).toBe(true);
    expect(verifyWebhook({ scheme: 'hmac_sha256_hex', headers: signHexHmac({ body, secrets: [old] }), body, secret })).toBe(false);
  });

  it('looks for the hex signature in the header Hookline sends it in, and enforces the replay window the API documents', () => {
    expect(PACKAGE_HEX_HEADER).toBe(DEFAULT_HEX_SIGNATURE_HEADER);
    expect(PACKAGE_TOLERANCE).toBe(DEFAULT_TOLERANCE_SECONDS);
  });
});
