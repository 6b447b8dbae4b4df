import { Module, RequestMethod } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';

import { AccountModule } from './account/account.module';
import { AdminModule } from './admin/admin.module';
import { AttachmentsModule } from './attachments/attachments.module';
import { AuthModule } from './auth/auth.module';
import { BotsModule } from './bots/bots.module';
import { ChatModule } from './chat/chat.module';
import { httpLogger } from './common/logging';
import { appConfig } from './config/app.config';
import { attachmentsConfig } from './config/attachments.config';
import { authConfig } from './config/auth.config';
import { AllConfig } from './config/config.type';
import { databaseConfig } from './config/database.config';
import { validateEnvironment } from './config/env.validation';
import { limitsConfig } from './config/limits.config';
import { realtimeConfig } from './config/realtime.config';
import { redisConfig } from './config/redis.config';
import { webhooksConfig } from './config/webhooks.config';
import { DatabaseModule } from './database/database.module';
import { DocsModule } from './docs/docs.module';
import { HealthModule } from './health/health.module';
import { MessagesModule } from './messages/messages.module';
import { MetricsModule } from './metrics/metrics.module';
import { PresenceModule } from './presence/presence.module';
import { RealtimeModule } from './realtime/realtime.module';
import { RedisModule } from './redis/redis.module';
import { RoomsModule } from './rooms/rooms.module';
import { SearchModule } from './search/search.module';
import { UsersModule } from './users/users.module';
import { WebhooksModule } from './webhooks/webhooks.module';

@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      cache: true,
      load: [
        appConfig,
        authConfig,
        databaseConfig,
        limitsConfig,
        redisConfig,
        realtimeConfig,
        webhooksConfig,
        attachmentsConfig,
      ],
      validate: validateEnvironment,
    }),
    LoggerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AllConfig, true>) => ({
        pinoHttp: httpLogger({
          level: config.get('app.logLevel', { infer: true }),
          instanceId: config.get('app.instanceId', { infer: true }),
          format: config.get('app.logFormat', { infer: true }),
        }),
        // path-to-regexp 8 syntax (every path under the global prefix); the default '*' is logged as a legacy route.
        forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
      }),
    }),
    RedisModule,
    DatabaseModule,
    RealtimeModule,
    UsersModule,
    AuthModule,
    AdminModule,
    AccountModule,
    PresenceModule,
    RoomsModule,
    MessagesModule,
    SearchModule,
    ChatModule,
    BotsModule,
    WebhooksModule,
    AttachmentsModule,
    HealthModule,
    MetricsModule,
    DocsModule,
  ],
})
export class AppModule {}
