import { AuthSessionEntity } from '../auth/entities/auth-session.entity';
import { MessageEntity } from '../messages/entities/message.entity';
import { MembershipEntity } from '../rooms/entities/membership.entity';
import { RoomBanEntity } from '../rooms/entities/room-ban.entity';
import { RoomEntity } from '../rooms/entities/room.entity';
import { UserEntity } from '../users/entities/user.entity';

export const entities = [AuthSessionEntity, UserEntity, RoomEntity, MembershipEntity, RoomBanEntity, MessageEntity];
