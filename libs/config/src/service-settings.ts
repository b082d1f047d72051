import { readAccessTokenSettings, type AccessTokenSettings } from './access-token-settings.js';
import type { ConfigReader } from './config-reader.js';
import { readDatabaseSettings, type DatabaseDefaults, type DatabaseSettings } from './database-settings.js';
import { readHttpSettings, type HttpSettings } from './http-settings.js';
import { readLogSettings, type LogSettings } from './log-settings.js';
import { readRedisSettings, type RedisSettings } from './redis-settings.js';

/** What the config of every service in apps/ opens with; each app's AppConfig extends it with its own sections. */
export interface ServiceSettings {
  serviceName: string;
  http: HttpSettings;
  database: DatabaseSettings;
  redis: RedisSettings;
  auth: AccessTokenSettings;
  observability: LogSettings;
}

/** The app's own defaults of the shared sections. */
export interface ServiceDefaults {
  serviceName: string;
  port: number;
  database: DatabaseDefaults;
  redis: { keyPrefix: string; queuePrefix: string };
  auth: { accessTokenTtlSeconds: number; issuer: string; audience: string };
}

/** SERVICE_NAME, then the HTTP, database, Redis, access-token and log sections, in that order. */
export function readServiceSettings(read: ConfigReader, defaults: ServiceDefaults): ServiceSettings {
  return {
    serviceName: read.text('SERVICE_NAME', defaults.serviceName),
    http: readHttpSettings(read, { port: defaults.port }),
    database: readDatabaseSettings(read, defaults.database),
    redis: readRedisSettings(read, defaults.redis),
    auth: readAccessTokenSettings(read, defaults.auth),
    observability: readLogSettings(read),
  };
}
