// Encrypts every payload Hookline writes to Temporal (AES-256-GCM), so event data is not readable there without the key.
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

interface PayloadKey {
  id: string;
  key: Buffer;
}

/*
 * A key of its own, derived from the service key (HKDF), so that sealing secrets and encrypting payloads never share
 * key material. Its id (not secret) goes into each payload's metadata: after a rotation the payloads of workflows
 * still in flight name the previous key, which stays configured for decoding until they are gone.
 */
function payloadKey(serviceKey: Buffer): PayloadKey {
  const key = Buffer.from(hkdfSync('sha256', serviceKey, Buffer.alloc(0), 'hookline temporal payloads v1', 32));
  return { id: createHash('sha256').update(key).digest('hex').slice(0, 16), key };
}

const utf8 = (text: string) => new TextEncoder().encode(text);

/** A Payload as bytes and back: JSON of its metadata and data, base64 inside (no protobuf needed). */
function serialise(payload: Payload): Buffer {
  const metadata = Object.fromEntries(Object.entries(payload.metadata ?? {}).map(([name, value]) => [name, Buffer.from(value).toString('base64')]));
  return Buffer.from(JSON.stringify({ metadata, data: Buffer.from(payload.data ?? new Uint8Array()).toString('base64') }));
}

function deserialise(bytes: Buffer): Payload {
  const parsed = JSON.parse(bytes.toString('utf8')) as { metadata: Record<string, string>; data: string };
  const metadata = Object.fromEntries(Object.entries(parsed.metadata).map(([name, value]) => [name, new Uint8Array(Buffer.from(value, 'base64'))]));
  return { metadata, data: new Uint8Array(Buffer.from(parsed.data, 'base64')) };
}

export class HooklinePayloadCodec implements PayloadCodec {
  private readonly current: PayloadKey;
  private readonly byId: Map<string, PayloadKey>;

  /** `serviceKey` encrypts; `previousKeys` (earlier service keys) only decrypt what was written under them. */
  constructor(serviceKey: Buffer, previousKeys: Buffer[] = []) {
    this.current = payloadKey(serviceKey);
    this.byId = new Map([this.current, ...previousKeys.map(payloadKey)].map((entry) => [entry.id, entry]));
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.current.key, iv);
      const sealed = Buffer.concat([cipher.update(serialise(payload)), cipher.final()]);
      return {
        metadata: { encoding: utf8(ENCRYPTED_ENCODING), [KEY_ID]: utf8(this.current.id) },
        data: new Uint8Array(Buffer.concat([iv, cipher.getAuthTag(), sealed])),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const encoding = payload.metadata?.encoding && Buffer.from(payload.metadata.encoding).toString('utf8');
      // Payloads written before the codec (and by Temporal itself) pass through as they are.
      if (encoding !== ENCRYPTED_ENCODING) return payload;
      const keyId = Buffer.from(payload.metadata?.[KEY_ID] ?? new Uint8Array()).toString('utf8');
      const entry = this.byId.get(keyId);
      if (!entry) throw new Error(`payload was encrypted under key ${keyId}, which is not configured (HOOKLINE_PREVIOUS_ENCRYPTION_KEYS)`);
      const data = Buffer.from(payload.data ?? new Uint8Array());
      const decipher = createDecipheriv('aes-256-gcm', entry.key, data.subarray(0, IV_BYTES));
      decipher.setAuthTag(data.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return deserialise(Buffer.concat([decipher.update(data.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]));
    });
  }
}
