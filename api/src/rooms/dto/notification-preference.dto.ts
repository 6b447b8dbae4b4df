import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';

import type { NotificationPreferenceRequest, NotifyLevel } from '@chat/contracts';

export const NOTIFY_LEVELS: readonly NotifyLevel[] = ['all', 'mentions', 'none'];

export class NotificationPreferenceDto implements NotificationPreferenceRequest {
  @ApiProperty({ enum: NOTIFY_LEVELS })
  @IsIn(NOTIFY_LEVELS)
  level!: NotifyLevel;
}
