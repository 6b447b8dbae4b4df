import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outgoing webhooks of a room and the log of their delivery attempts. The signing secret is kept as
 * it is (signing needs it), shown to the owner once; `consecutive_failures` drives the automatic disable.
 */
export class Webhooks1764300000000 implements MigrationInterface {
  name = 'Webhooks1764300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE webhooks (
        id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        room_id              uuid NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
        url                  text NOT NULL,
        secret               text NOT NULL,
        events               text[] NOT NULL,
        created_by           uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at           timestamptz NOT NULL DEFAULT now(),
        consecutive_failures integer NOT NULL DEFAULT 0,
        disabled_at          timestamptz
      )`);
    await queryRunner.query(`CREATE INDEX webhooks_room_id ON webhooks (room_id) WHERE disabled_at IS NULL`);
    await queryRunner.query(`
      CREATE TABLE webhook_deliveries (
        id              bigserial PRIMARY KEY,
        webhook_id      uuid NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
        delivery_id     text NOT NULL,
        event           text NOT NULL,
        attempt         integer NOT NULL,
        outcome         text NOT NULL,
        response_status integer,
        error           text,
        instance_id     text NOT NULL,
        created_at      timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX webhook_deliveries_recent ON webhook_deliveries (webhook_id, id DESC)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE webhook_deliveries`);
    await queryRunner.query(`DROP TABLE webhooks`);
  }
}
