import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';

import { HistoryQuery, Limits } from '@chat/contracts';

import { IsCanonicalUuid } from '../../common/uuid.validators';

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

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'Page this thread: its root (first, lowest seq) and its replies',
  })
  @IsOptional()
  @IsCanonicalUuid()
  threadRootId?: string;

  @ApiPropertyOptional({ description: 'Top-level messages only (no thread replies)', type: Boolean })
  @IsOptional()
  // A query string is text: only the words true and false are booleans, anything else stays invalid.
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  topLevel?: boolean;
}
