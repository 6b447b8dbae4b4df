import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Message search and name search. `messages.search_vector` is a generated column, so Postgres keeps
 * it in step with every insert, edit and soft delete (a deleted body is '' and matches nothing); the
 * `english` configuration stems words ("deploys" finds "deployed"). Names are matched by substring
 * (ILIKE), which pg_trgm's GIN indexes serve for patterns of three or more characters.
 * Adding the column rewrites `messages` once, under an exclusive lock: on a large table, run this
 * migration in a quiet moment.
 */
export class Search1765200000000 implements MigrationInterface {
  name = 'Search1765200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE messages ADD COLUMN search_vector tsvector
        GENERATED ALWAYS AS (to_tsvector('english'::regconfig, body)) STORED`);
    await queryRunner.query(`CREATE INDEX messages_search_vector_idx ON messages USING gin (search_vector)`);

    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await queryRunner.query(`CREATE INDEX users_username_trgm_idx ON users USING gin (username gin_trgm_ops)`);
    await queryRunner.query(
      `CREATE INDEX users_display_name_trgm_idx ON users USING gin (display_name gin_trgm_ops)`,
    );
    await queryRunner.query(
      `CREATE INDEX rooms_public_name_trgm_idx ON rooms USING gin (name gin_trgm_ops)
       WHERE visibility = 'public' AND kind = 'group'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX rooms_public_name_trgm_idx`);
    await queryRunner.query(`DROP INDEX users_display_name_trgm_idx`);
    await queryRunner.query(`DROP INDEX users_username_trgm_idx`);
    await queryRunner.query(`DROP INDEX messages_search_vector_idx`);
    await queryRunner.query(`ALTER TABLE messages DROP COLUMN search_vector`);
  }
}
