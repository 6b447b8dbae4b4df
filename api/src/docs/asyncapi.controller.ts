import { Controller, Get, Header } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';

import asyncApiDocument from '@chat/contracts/asyncapi.json';

import { Public } from '../common/public.decorator';

/** The Socket.IO contract as AsyncAPI 3.0, generated from libs/contracts (scripts/asyncapi.js). */
@ApiTags('docs')
@Public()
@Controller('asyncapi.json')
export class AsyncApiController {
  @Get()
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({
    summary: 'AsyncAPI 3.0 document of the Socket.IO events (the real-time half of the contract)',
  })
  document(): object {
    return asyncApiDocument;
  }
}
