import { MigrationInterface, QueryRunner } from 'typeorm';

/** Sign-in sessions: every token carries one (`sid`); logout ends it, and with it all its tokens. */
export class AuthSessions1764100000000 implements MigrationInterface {
  name = 'AuthSessions1764100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE auth_sessions (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id       uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        user_agent    varchar(256),
        created_at    timestamptz NOT NULL DEFAULT now(),
        last_seen_at  timestamptz NOT NULL DEFAULT now(),
        ended_at      timestamptz
      )`);
    // The sessions list and logout-all read a user's open sessions.
    await queryRunner.query(
      `CREATE INDEX auth_sessions_open_by_user_idx ON auth_sessions (user_id, created_at) WHERE ended_at IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE auth_sessions`);
  }
}
