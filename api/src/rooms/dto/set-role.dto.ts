import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';

import { SetMemberRoleRequest } from '@chat/contracts';

export class SetRoleDto implements SetMemberRoleRequest {
  @ApiProperty({ enum: ['admin', 'member'] })
  @IsIn(['admin', 'member'])
  role!: 'admin' | 'member';
}
