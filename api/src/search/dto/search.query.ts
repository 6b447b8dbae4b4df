import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsISO8601,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  ValidationOptions,
  registerDecorator,
} from 'class-validator';

import { Limits, SearchRequest } from '@chat/contracts';

import { IsStorableText, IsTextLength } from '../../common/text.validators';
import { canonicalUuid } from '../../common/uuid.validators';

const trimmed = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/**
 * An instant Postgres can compare with: ISO 8601 and a year from 1 to 9999. Postgres has no year 0,
 * which ISO 8601 (and JavaScript) accept, so `0000-01-01` would fail in the database as a 500.
 */
function IsSearchableInstant(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isSearchableInstant',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be a date between years 1 and 9999', ...options },
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          const time = Date.parse(value);
          if (!Number.isFinite(time)) return false;
          const year = new Date(time).getUTCFullYear();
          return year >= 1 && year <= 9999;
        },
      },
    });
}

export class SearchQueryDto implements SearchRequest {
  @ApiProperty({
    minLength: 1,
    maxLength: Limits.SEARCH_QUERY_MAX,
    description:
      'Words (stemmed, English): `"exact phrase"`, `or`, `-excluded`, as in a web search box. Any text is accepted; it is never parsed as tsquery syntax.',
  })
  @Transform(trimmed)
  @IsString()
  @IsTextLength(1, Limits.SEARCH_QUERY_MAX)
  @IsStorableText()
  q!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only this room; the caller must be a member' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? canonicalUuid(value) : value))
  @IsUUID()
  roomId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Messages created at or after this instant' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @IsSearchableInstant()
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Messages created before this instant' })
  @IsOptional()
  @IsISO8601({ strict: true })
  @IsSearchableInstant()
  before?: string;

  @ApiPropertyOptional({
    description: 'The `nextCursor` of the previous page (same q, roomId, from, before)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(400)
  cursor?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: Limits.SEARCH_PAGE_MAX, default: Limits.SEARCH_PAGE_DEFAULT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(Limits.SEARCH_PAGE_MAX)
  limit?: number;
}
