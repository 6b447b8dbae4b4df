import { Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ModuleRef } from '@nestjs/core';
import { DataSource } from 'typeorm';

import { AllConfig } from '../config/config.type';
import { EmbeddedDatabase } from './embedded-database';

/** Holds the embedded database when DATABASE_URL is unset; empty otherwise. */
@Injectable()
export class EmbeddedDatabaseHolder implements OnApplicationShutdown {
  private database: EmbeddedDatabase | null = null;

  constructor(
    private readonly config: ConfigService<AllConfig, true>,
    private readonly moduleRef: ModuleRef,
  ) {}

  /** The URL to connect to: DATABASE_URL, or the embedded server's, started on first call. */
  async resolveUrl(): Promise<string> {
    const url = this.config.get('database.url', { infer: true });
    if (url) return url;
    this.database ??= await EmbeddedDatabase.start(this.config.get('app.dataDir', { infer: true }));
    return this.database.url;
  }

  get isEmbedded(): boolean {
    return this.database !== null;
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.database) return;
    // The pool must close before the server it talks to, whatever order Nest runs the hooks in.
    const dataSource = this.moduleRef.get(DataSource, { strict: false });
    if (dataSource.isInitialized) await dataSource.destroy();
    await this.database.stop();
    this.database = null;
  }
}

@Module({ providers: [EmbeddedDatabaseHolder], exports: [EmbeddedDatabaseHolder] })
export class EmbeddedDatabaseModule {}
