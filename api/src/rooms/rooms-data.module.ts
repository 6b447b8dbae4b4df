import { Module } from '@nestjs/common';

import { MembershipsRepository } from './memberships.repository';
import { RoomsRepository } from './rooms.repository';

/** The room and membership queries, on their own so presence can read memberships without the rooms' rules. */
@Module({
  providers: [RoomsRepository, MembershipsRepository],
  exports: [RoomsRepository, MembershipsRepository],
})
export class RoomsDataModule {}
