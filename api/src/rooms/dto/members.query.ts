import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

import { Limits, MembersQuery } from '@chat/contracts';

import { IsCanonicalUuid } from '../../common/uuid.validators';

export class MembersQueryDto implements MembersQuery {
  @ApiPropertyOptional({ description: 'The `nextCursor` of the previous page', format: 'uuid' })
  @IsOptional()
  @IsCanonicalUuid()
  after?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: Limits.MEMBERS_PAGE_MAX, default: Limits.MEMBERS_PAGE_DEFAULT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Limits.MEMBERS_PAGE_MAX)
  limit?: number;
}
