import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsUUID } from 'class-validator';

import { CreateBotKeyRequest } from '@chat/contracts';

import { canonicalUuid } from '../../common/uuid.validators';

export class CreateBotKeyDto implements CreateBotKeyRequest {
  @ApiProperty({
    type: [String],
    format: 'uuid',
    description: 'Rooms the key may post to; the caller must own them',
  })
  @Transform(({ value }: { value: unknown }) =>
    Array.isArray(value) ? value.map((id) => (typeof id === 'string' ? canonicalUuid(id) : id)) : value,
  )
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  roomIds!: string[];
}
