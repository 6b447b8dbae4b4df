import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Room administration and account deletion: an `admin` role, a room topic and archive state, system
 * messages (a change to the room, in its timeline), and deleted accounts (the row stays, anonymised,
 * so their messages keep a sender).
 */
export class RoomAdmin1765300000000 implements MigrationInterface {
  name = 'RoomAdmin1765300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE memberships DROP CONSTRAINT memberships_role_check`);
    await queryRunner.query(
      `ALTER TABLE memberships ADD CONSTRAINT memberships_role_check CHECK (role IN ('owner', 'admin', 'member'))`,
    );
    await queryRunner.query(
      `ALTER TABLE rooms ADD COLUMN topic varchar(500), ADD COLUMN archived_at timestamptz`,
    );
    // {kind, actorId, targetId?, name?, topic?}: see SystemMessage in libs/contracts.
    await queryRunner.query(`ALTER TABLE messages ADD COLUMN system jsonb`);
    await queryRunner.query(`ALTER TABLE users ADD COLUMN deleted_at timestamptz`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users DROP COLUMN deleted_at`);
    await queryRunner.query(`ALTER TABLE messages DROP COLUMN system`);
    await queryRunner.query(`ALTER TABLE rooms DROP COLUMN archived_at, DROP COLUMN topic`);
    await queryRunner.query(`DELETE FROM memberships WHERE role = 'admin'`);
    await queryRunner.query(`ALTER TABLE memberships DROP CONSTRAINT memberships_role_check`);
    await queryRunner.query(
      `ALTER TABLE memberships ADD CONSTRAINT memberships_role_check CHECK (role IN ('owner', 'member'))`,
    );
  }
}
