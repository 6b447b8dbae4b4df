import { Module } from '@nestjs/common';

import { AsyncApiController } from './asyncapi.controller';

/** Contract documents served beside the OpenAPI UI (which `createApp` mounts at /api/docs). */
@Module({ controllers: [AsyncApiController] })
export class DocsModule {}
