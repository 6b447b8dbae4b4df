import { ApiProperty } from '@nestjs/swagger';

import { AddMemberRequest, CreateDirectRoomRequest } from '@chat/contracts';

import { IsCanonicalUuid } from '../../common/uuid.validators';

export class UserIdDto implements AddMemberRequest, CreateDirectRoomRequest {
  @ApiProperty({ format: 'uuid' })
  @IsCanonicalUuid()
  userId!: string;
}
