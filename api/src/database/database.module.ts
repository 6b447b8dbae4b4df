import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';

import { AllConfig } from '../config/config.type';
import { EmbeddedDatabaseHolder, EmbeddedDatabaseModule } from './embedded-database.module';
import { entities } from './entities';
import { closeConnectionsWithLostQueries } from './lost-query-connections';
import { runMigrationsUnderLock } from './migrate';
import { migrations } from './migrations';
import { STARTUP_CONNECT_ATTEMPTS, STARTUP_CONNECT_DELAY_MS, isDatabaseNotReadyYet } from './startup-retry';
import { statementTimeoutPerTransaction } from './statement-timeout';

interface WithMigrationUrl {
  migrationUrl: string | null;
}

/** How long after Postgres's own statement_timeout the client stops waiting for an answer. */
const QUERY_TIMEOUT_MARGIN_MS = 2_000;

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      imports: [EmbeddedDatabaseModule],
      inject: [ConfigService, EmbeddedDatabaseHolder],
      useFactory: async (config: ConfigService<AllConfig, true>, embedded: EmbeddedDatabaseHolder) => {
        const url = await embedded.resolveUrl();
        const database = config.get('database', { infer: true });
        const { poolSize, connectTimeoutMs, statementTimeoutMs, transactionPooling } = database;
        return {
          type: 'postgres' as const,
          url,
          entities,
          migrations,
          synchronize: false,
          migrationsRun: false,
          subscribers: transactionPooling ? [statementTimeoutPerTransaction(statementTimeoutMs)] : [],
          // node-postgres pool options. Without them a lost database hangs requests instead of failing
          // them: a connect that is never answered, or a query whose answer never comes, waits forever.
          extra: {
            max: embedded.isEmbedded ? 1 : poolSize,
            // Bounds both the wait for a free pooled connection and the opening of a new one.
            connectionTimeoutMillis: connectTimeoutMs,
            // Server side: Postgres cancels a statement that runs too long (SQLSTATE 57014). A session
            // setting, sent at connect; behind a transaction pooler it is set per transaction instead.
            ...(transactionPooling ? {} : { statement_timeout: statementTimeoutMs }),
            // Client side: gives up on an answer that never arrives (a partition, a frozen server).
            // Later than statement_timeout, so a reachable server always cancels first.
            query_timeout: statementTimeoutMs + QUERY_TIMEOUT_MARGIN_MS,
            // Lets the OS notice a silently dropped idle connection instead of keeping it in the pool.
            keepAlive: true,
            keepAliveInitialDelayMillis: 10_000,
            application_name: `chat-api:${config.get('app.instanceId', { infer: true })}`,
          },
          retryAttempts: STARTUP_CONNECT_ATTEMPTS,
          retryDelay: STARTUP_CONNECT_DELAY_MS,
          toRetry: isDatabaseNotReadyYet,
          // Read by dataSourceFactory below (TypeORM ignores it); null in embedded mode.
          migrationUrl: embedded.isEmbedded ? null : database.migrationUrl,
        };
      },
      dataSourceFactory: async (options) => {
        const dataSource = await new DataSource(options!).initialize();
        closeConnectionsWithLostQueries(dataSource);
        await runMigrationsUnderLock(dataSource, (options as unknown as WithMigrationUrl).migrationUrl);
        return dataSource;
      },
    }),
  ],
  exports: [TypeOrmModule],
})
export class DatabaseModule {}
