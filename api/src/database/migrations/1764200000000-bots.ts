import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Bot accounts: users marked `is_bot` (their messages, memberships and rate budget are a user's), made
 * by a room owner, who authenticate with API keys. A key is kept as the SHA-256 of its secret, scoped to
 * rooms, and revocable.
 */
export class Bots1764200000000 implements MigrationInterface {
  name = 'Bots1764200000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users ADD COLUMN is_bot boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`
      CREATE TABLE bots (
        user_id    uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        created_by uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE bot_api_keys (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        bot_id      uuid NOT NULL REFERENCES bots (user_id) ON DELETE CASCADE,
        secret_hash bytea NOT NULL,
        room_ids    uuid[] NOT NULL,
        created_by  uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at  timestamptz NOT NULL DEFAULT now(),
        revoked_at  timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX bot_api_keys_bot_id ON bot_api_keys (bot_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE bot_api_keys`);
    await queryRunner.query(`DROP TABLE bots`);
    await queryRunner.query(`ALTER TABLE users DROP COLUMN is_bot`);
  }
}
