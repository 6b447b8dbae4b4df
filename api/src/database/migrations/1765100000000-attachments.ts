import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Attachments: one row per upload (`ready` once its bytes are stored and checked), tied to a message
 * when it is sent. The bytes live in the storage driver under `blob_key` (and `thumbnail_key`); with
 * the default driver, in `attachment_blob_chunks`. Every deleted attachment row — a deleted message,
 * an expired upload, a deleted room or user by cascade — queues its keys in `attachment_deletions`
 * through a trigger, in the same transaction, so no path can forget the bytes; the collector
 * (AttachmentCollector) empties that queue.
 */
export class Attachments1765100000000 implements MigrationInterface {
  name = 'Attachments1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE attachments (
        id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        room_id       uuid NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
        uploader_id   uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        message_id    uuid REFERENCES messages (id) ON DELETE CASCADE,
        position      smallint,
        name          text NOT NULL,
        size          bigint NOT NULL DEFAULT 0,
        content_type  text NOT NULL DEFAULT 'application/octet-stream',
        width         integer,
        height        integer,
        blob_key      text NOT NULL,
        thumbnail_key text,
        thumbnail_size integer,
        ready         boolean NOT NULL DEFAULT false,
        created_at    timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX attachments_message ON attachments (message_id, position) WHERE message_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX attachments_unsent ON attachments (uploader_id, created_at) WHERE message_id IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX attachments_unsent_age ON attachments (created_at) WHERE message_id IS NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE attachment_blob_chunks (
        key  text NOT NULL,
        n    integer NOT NULL,
        data bytea NOT NULL,
        PRIMARY KEY (key, n)
      )`);
    await queryRunner.query(`
      CREATE TABLE attachment_deletions (
        key         text PRIMARY KEY,
        queued_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX attachment_deletions_queued ON attachment_deletions (queued_at)`);
    // One row: which instance collects, until when (see AttachmentsRepository.takeCollectorLease).
    await queryRunner.query(`
      CREATE TABLE attachment_collector (
        id          boolean PRIMARY KEY DEFAULT true CHECK (id),
        holder      text NOT NULL DEFAULT '',
        lease_until timestamptz NOT NULL DEFAULT '-infinity'
      )`);
    await queryRunner.query(`INSERT INTO attachment_collector DEFAULT VALUES`);
    await queryRunner.query(`
      CREATE FUNCTION attachments_queue_deletion() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO attachment_deletions (key)
          SELECT k FROM unnest(ARRAY[OLD.blob_key, OLD.thumbnail_key]) AS k WHERE k IS NOT NULL
          ON CONFLICT (key) DO NOTHING;
        RETURN OLD;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER attachments_deleted AFTER DELETE ON attachments
      FOR EACH ROW EXECUTE FUNCTION attachments_queue_deletion()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE attachments`);
    await queryRunner.query(`DROP FUNCTION attachments_queue_deletion()`);
    await queryRunner.query(`DROP TABLE attachment_collector`);
    await queryRunner.query(`DROP TABLE attachment_deletions`);
    await queryRunner.query(`DROP TABLE attachment_blob_chunks`);
  }
}
