import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

import { bigintToNumber } from '../../database/bigint.transformer';

/**
 * Inserted only by MessageWriter's single-statement "bump rooms.last_seq and insert" queries, which
 * are what keep per-room seqs contiguous; the entity is here for reads and the schema's record.
 */
@Entity({ name: 'messages' })
export class MessageEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'room_id', type: 'uuid' })
  roomId!: string;

  @Column({ type: 'bigint', transformer: bigintToNumber })
  seq!: number;

  @Column({ name: 'sender_id', type: 'uuid' })
  senderId!: string;

  @Column({ type: 'varchar', length: 4000 })
  body!: string;

  @Column({ name: 'client_msg_id', type: 'varchar', length: 64 })
  clientMsgId!: string;

  @Column({ name: 'instance_id', type: 'varchar', length: 128 })
  instanceId!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'edited_at', type: 'timestamptz', nullable: true })
  editedAt!: Date | null;

  @Column({ name: 'deleted_at', type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;
}
