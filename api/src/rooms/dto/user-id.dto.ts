import { ApiProperty } from '@nestjs/swagger';
import { IsUUID } from 'class-validator';

import { AddMemberRequest, CreateDirectRoomRequest } from '@chat/contracts';

export class UserIdDto implements AddMemberRequest, CreateDirectRoomRequest {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  userId!: string;
}
