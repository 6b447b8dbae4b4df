import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { AllConfig } from '../config/config.type';
import { EmbeddedDatabaseHolder, EmbeddedDatabaseModule } from './embedded-database.module';
import { entities } from './entities';
import { runMigrationsUnderLock } from './migrate';
import { migrations } from './migrations';

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      imports: [EmbeddedDatabaseModule],
      inject: [ConfigService, EmbeddedDatabaseHolder],
      useFactory: async (config: ConfigService<AllConfig, true>, embedded: EmbeddedDatabaseHolder) => {
        const url = await embedded.resolveUrl();
        return {
          type: 'postgres' as const,
          url,
          entities,
          migrations,
          synchronize: false,
          migrationsRun: false,
          // Fail a request fast instead of queueing it forever when the database is gone.
          extra: {
            max: embedded.isEmbedded ? 1 : config.get('database.poolSize', { infer: true }),
            connectionTimeoutMillis: 5_000,
            statement_timeout: 10_000,
            application_name: `chat-api:${config.get('app.instanceId', { infer: true })}`,
          },
          retryAttempts: 3,
          retryDelay: 1_000,
        };
      },
      dataSourceFactory: async (options) => {
        const dataSource = await new DataSource(options!).initialize();
        await runMigrationsUnderLock(dataSource);
        return dataSource;
      },
    }),
  ],
  exports: [TypeOrmModule],
})
export class DatabaseModule {}
