import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** A user the owner banned from a group room: kept out until the ban is lifted. */
@Entity({ name: 'room_bans' })
export class RoomBanEntity {
  @PrimaryColumn({ name: 'room_id', type: 'uuid' })
  roomId!: string;

  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ name: 'banned_by', type: 'uuid', nullable: true })
  bannedBy!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
