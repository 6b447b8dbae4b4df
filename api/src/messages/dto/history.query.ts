import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

import { HistoryQuery, Limits } from '@chat/contracts';

export class HistoryQueryDto implements HistoryQuery {
  @ApiPropertyOptional({ description: 'Messages with seq < before (an older page)', minimum: 1 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  before?: number;

  @ApiPropertyOptional({ description: 'Messages with seq > after (catch-up after a reconnect)', minimum: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  after?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: Limits.HISTORY_PAGE_MAX, default: Limits.HISTORY_PAGE_DEFAULT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Limits.HISTORY_PAGE_MAX)
  limit?: number;
}
