// What every router receives: configuration and the real connections, passed down, never global.
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { Config } from '../../config/config';
import type { Db } from '../../db/connect';

export interface ApiDeps {
  config: Config;
  db: Db;
  temporal: Client;
  logger: Logger;
  version: string;
}
