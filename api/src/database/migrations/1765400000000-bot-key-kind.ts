import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which bot keys are incoming-webhook URLs: the Integrations panel lists them apart from API keys and
 * rotates them. Keys stored before this migration are API keys.
 */
export class BotKeyKind1765400000000 implements MigrationInterface {
  name = 'BotKeyKind1765400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE bot_api_keys ADD COLUMN kind varchar(10) NOT NULL DEFAULT 'api' CHECK (kind IN ('api', 'incoming'))`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE bot_api_keys DROP COLUMN kind`);
  }
}
