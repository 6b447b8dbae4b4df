import { MigrationInterface, QueryRunner } from 'typeorm';

/** Threads, reactions, mentions and per-room notification preferences. */
export class Conversations1765000000000 implements MigrationInterface {
  name = 'Conversations1765000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Constant defaults: Postgres adds these columns without rewriting the table.
    await queryRunner.query(`
      ALTER TABLE messages
        ADD COLUMN thread_root_id    uuid REFERENCES messages (id) ON DELETE CASCADE,
        ADD COLUMN reply_count       integer NOT NULL DEFAULT 0,
        ADD COLUMN last_reply_at     timestamptz,
        ADD COLUMN mentions          uuid[] NOT NULL DEFAULT '{}',
        ADD COLUMN reactions_version integer NOT NULL DEFAULT 0`);
    // A thread page walks its replies by seq; the main timeline (topLevel) walks the room's roots.
    await queryRunner.query(
      `CREATE INDEX messages_thread_root_id_seq_idx ON messages (thread_root_id, seq) WHERE thread_root_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX messages_top_level_room_id_seq_idx ON messages (room_id, seq) WHERE thread_root_id IS NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE message_reactions (
        message_id uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
        emoji      varchar(32) NOT NULL,
        user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        -- One reaction per message, emoji and user: a second add is a no-op. Also the index a
        -- message's reactions are read with.
        PRIMARY KEY (message_id, emoji, user_id)
      )`);
    // Null: the default of the room's kind (mentions for group rooms, all for direct ones).
    await queryRunner.query(
      `ALTER TABLE memberships ADD COLUMN notify varchar(8) CHECK (notify IN ('all', 'mentions', 'none'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE memberships DROP COLUMN notify`);
    await queryRunner.query(`DROP TABLE message_reactions`);
    await queryRunner.query(`DROP INDEX messages_top_level_room_id_seq_idx`);
    await queryRunner.query(`DROP INDEX messages_thread_root_id_seq_idx`);
    await queryRunner.query(`
      ALTER TABLE messages DROP COLUMN thread_root_id, DROP COLUMN reply_count, DROP COLUMN last_reply_at,
        DROP COLUMN mentions, DROP COLUMN reactions_version`);
  }
}
