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

  @ApiPropertyOptional({
    description:
      'The page around this seq (opening a search hit): up to limit/2 older messages, this one and newer ones; `hasMore` then means newer messages exist beyond the page',
    minimum: 1,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Number.MAX_SAFE_INTEGER)
  around?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: Limits.HISTORY_PAGE_MAX, default: Limits.HISTORY_PAGE_DEFAULT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Limits.HISTORY_PAGE_MAX)
  limit?: number;
}
