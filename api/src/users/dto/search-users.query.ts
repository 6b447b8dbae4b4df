import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

import { Limits } from '@chat/contracts';

import { IsStorableText } from '../../common/text.validators';

export class SearchQuery {
  @ApiPropertyOptional({ maxLength: Limits.SEARCH_MAX, description: 'Substring to match' })
  @IsOptional()
  @IsString()
  @MaxLength(Limits.SEARCH_MAX)
  @IsStorableText()
  search?: string;
}
