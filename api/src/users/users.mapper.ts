import type { User, UserRef } from '@chat/contracts';

import type { UserEntity } from './entities/user.entity';

export const toUser = (entity: UserEntity): User => ({
  id: entity.id,
  username: entity.username,
  displayName: entity.displayName,
  createdAt: entity.createdAt.toISOString(),
});

export const toUserRef = (entity: Pick<UserEntity, 'id' | 'username' | 'displayName'>): UserRef => ({
  id: entity.id,
  username: entity.username,
  displayName: entity.displayName,
});
