import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';

import type { ClusterStats } from '@chat/contracts';

import { ClusterStatsResponse } from '../common/openapi/schemas';
import { Public } from '../common/public.decorator';
import { PresenceService } from './presence.service';

@ApiTags('stats')
@Controller('stats')
export class StatsController {
  constructor(private readonly presence: PresenceService) {}

  @Public()
  @Get()
  @ApiOkResponse({ type: ClusterStatsResponse, description: 'The same answer on every instance' })
  stats(): Promise<ClusterStats> {
    return this.presence.stats();
  }
}
