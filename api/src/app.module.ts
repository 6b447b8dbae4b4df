import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

import { AuthModule } from './auth/auth.module';
import { ChatModule } from './chat/chat.module';
import { appConfig } from './config/app.config';
import { authConfig } from './config/auth.config';
import { AllConfig } from './config/config.type';
import { databaseConfig } from './config/database.config';
import { validateEnvironment } from './config/env.validation';
import { redisConfig } from './config/redis.config';
import { DatabaseModule } from './database/database.module';
import { DocsModule } from './docs/docs.module';
import { HealthModule } from './health/health.module';
import { MessagesModule } from './messages/messages.module';
import { MetricsModule } from './metrics/metrics.module';
import { PresenceModule } from './presence/presence.module';
import { RealtimeModule } from './realtime/realtime.module';
import { RedisModule } from './redis/redis.module';
import { RoomsModule } from './rooms/rooms.module';
import { UsersModule } from './users/users.module';

@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      cache: true,
      load: [appConfig, authConfig, databaseConfig, redisConfig],
      validate: validateEnvironment,
    }),
    LoggerModule.forRootAsync({
      inject: [ConfigService],
      useFactory: (config: ConfigService<AllConfig, true>) => {
        const instanceId = config.get('app.instanceId', { infer: true });
        return {
          pinoHttp: {
            level: config.get('app.logLevel', { infer: true }),
            genReqId: (request: IncomingMessage) =>
              (request.headers['x-request-id'] as string) || randomUUID(),
            redact: ['req.headers.authorization', 'req.headers.cookie', 'req.body.password'],
            customProps: () => ({ instanceId }),
            autoLogging: {
              ignore: (request: IncomingMessage) => request.url?.startsWith('/api/health') ?? false,
            },
          },
        };
      },
    }),
    RedisModule,
    DatabaseModule,
    RealtimeModule,
    UsersModule,
    AuthModule,
    PresenceModule,
    RoomsModule,
    MessagesModule,
    ChatModule,
    HealthModule,
    MetricsModule,
    DocsModule,
  ],
})
export class AppModule {}
