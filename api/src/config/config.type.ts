import type { AppConfig } from './app.config';
import type { AttachmentsConfig } from './attachments.config';
import type { AuthConfig } from './auth.config';
import type { DatabaseConfig } from './database.config';
import type { LimitsConfig } from './limits.config';
import type { RealtimeConfig } from './realtime.config';
import type { RedisConfig } from './redis.config';
import type { WebhooksConfig } from './webhooks.config';

/** For `ConfigService<AllConfig, true>` so `get('app.port', { infer: true })` is typed. */
export interface AllConfig {
  app: AppConfig;
  attachments: AttachmentsConfig;
  auth: AuthConfig;
  database: DatabaseConfig;
  limits: LimitsConfig;
  realtime: RealtimeConfig;
  redis: RedisConfig;
  webhooks: WebhooksConfig;
}
