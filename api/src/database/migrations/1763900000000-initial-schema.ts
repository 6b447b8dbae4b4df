import { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1763900000000 implements MigrationInterface {
  name = 'InitialSchema1763900000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE users (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username      varchar(32) NOT NULL,
        password_hash text NOT NULL,
        display_name  varchar(64) NOT NULL,
        created_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX users_username_lower_key ON users (lower(username))`);

    await queryRunner.query(`
      CREATE TABLE rooms (
        id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name        varchar(80) NOT NULL,
        kind        varchar(10) NOT NULL CHECK (kind IN ('group', 'direct')),
        visibility  varchar(10) NOT NULL CHECK (visibility IN ('public', 'private')),
        capacity    integer CHECK (capacity IS NULL OR capacity > 0),
        owner_id    uuid REFERENCES users (id) ON DELETE SET NULL,
        direct_key  varchar(80) CONSTRAINT rooms_direct_key_key UNIQUE,
        last_seq    bigint NOT NULL DEFAULT 0,
        created_at  timestamptz NOT NULL DEFAULT now(),
        CHECK ((kind = 'direct') = (direct_key IS NOT NULL))
      )`);
    // Public room search: prefix/substring match on the name among discoverable rooms only.
    await queryRunner.query(
      `CREATE INDEX rooms_public_name_idx ON rooms (lower(name)) WHERE visibility = 'public' AND kind = 'group'`,
    );

    await queryRunner.query(`
      CREATE TABLE memberships (
        room_id        uuid NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
        user_id        uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        role           varchar(10) NOT NULL CHECK (role IN ('owner', 'member')),
        last_read_seq  bigint NOT NULL DEFAULT 0,
        joined_at      timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (room_id, user_id)
      )`);
    // "My rooms" starts from the user.
    await queryRunner.query(`CREATE INDEX memberships_user_id_idx ON memberships (user_id)`);

    await queryRunner.query(`
      CREATE TABLE messages (
        id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        room_id        uuid NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
        seq            bigint NOT NULL,
        sender_id      uuid NOT NULL REFERENCES users (id),
        body           varchar(4000) NOT NULL,
        client_msg_id  varchar(64) NOT NULL,
        instance_id    varchar(128) NOT NULL,
        created_at     timestamptz NOT NULL DEFAULT now(),
        edited_at      timestamptz,
        deleted_at     timestamptz,
        -- History pages (before/after a seq), the last message and unread counts all walk this index.
        CONSTRAINT messages_room_id_seq_key UNIQUE (room_id, seq),
        -- Idempotent sends: a retried clientMsgId finds the original instead of a second row.
        CONSTRAINT messages_sender_id_client_msg_id_key UNIQUE (sender_id, client_msg_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE messages`);
    await queryRunner.query(`DROP TABLE memberships`);
    await queryRunner.query(`DROP TABLE rooms`);
    await queryRunner.query(`DROP TABLE users`);
  }
}
