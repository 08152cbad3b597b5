// The origin a portal URL is built on: the configured public URL, else the one the caller reached us at.
import type { Request } from 'express';
import type { Config } from '../../config/config';

export function publicBaseUrl(config: Config, req: Request): string {
  if (config.publicUrl) return config.publicUrl.replace(/\/+$/, '');
  return `${req.protocol}://${req.get('host') ?? `127.0.0.1:${config.port}`}`;
}
