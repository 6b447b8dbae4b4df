import { MigrationInterface, QueryRunner } from 'typeorm';

/** Room bans (kept by a room's owner) and account suspension (by an operator). */
export class Bans1764000000000 implements MigrationInterface {
  name = 'Bans1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE room_bans (
        room_id    uuid NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
        user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        banned_by  uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (room_id, user_id)
      )`);
    await queryRunner.query(`ALTER TABLE users ADD COLUMN suspended_at timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users DROP COLUMN suspended_at`);
    await queryRunner.query(`DROP TABLE room_bans`);
  }
}
