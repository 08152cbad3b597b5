// The data converter every Temporal client and worker of Hookline uses: payloads encrypted with the service's key.
import type { DataConverter } from '@temporalio/common';
import type { Config } from '../config/config';
import { HooklinePayloadCodec } from './payload-codec';

export function hooklineDataConverter(config: Pick<Config, 'encryptionKey' | 'previousEncryptionKeys'>): DataConverter {
  return { payloadCodecs: [new HooklinePayloadCodec(config.encryptionKey, config.previousEncryptionKeys)] };
}
