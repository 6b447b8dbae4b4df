import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

import type { MemberRole } from '@chat/contracts';

import { bigintToNumber } from '../../database/bigint.transformer';

@Entity({ name: 'memberships' })
export class MembershipEntity {
  @PrimaryColumn({ name: 'room_id', type: 'uuid' })
  roomId!: string;

  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ type: 'varchar', length: 10 })
  role!: MemberRole;

  @Column({ name: 'last_read_seq', type: 'bigint', default: 0, transformer: bigintToNumber })
  lastReadSeq!: number;

  @CreateDateColumn({ name: 'joined_at', type: 'timestamptz' })
  joinedAt!: Date;
}
