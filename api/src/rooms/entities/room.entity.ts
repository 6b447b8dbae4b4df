import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

import type { RoomKind, RoomVisibility } from '@chat/contracts';

import { bigintToNumber } from '../../database/bigint.transformer';

@Entity({ name: 'rooms' })
export class RoomEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 80 })
  name!: string;

  @Column({ type: 'varchar', length: 10 })
  kind!: RoomKind;

  @Column({ type: 'varchar', length: 10 })
  visibility!: RoomVisibility;

  @Column({ type: 'integer', nullable: true })
  capacity!: number | null;

  @Column({ name: 'owner_id', type: 'uuid', nullable: true })
  ownerId!: string | null;

  /** `<smaller user id>:<larger user id>` for direct rooms, so each pair has exactly one. */
  @Column({ name: 'direct_key', type: 'varchar', length: 80, nullable: true })
  directKey!: string | null;

  /** The seq of the newest message; bumped in the same statement that inserts it. */
  @Column({ name: 'last_seq', type: 'bigint', default: 0, transformer: bigintToNumber })
  lastSeq!: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ type: 'varchar', length: 500, nullable: true })
  topic!: string | null;

  /** Set while the room is read-only. */
  @Column({ name: 'archived_at', type: 'timestamptz', nullable: true })
  archivedAt!: Date | null;
}
