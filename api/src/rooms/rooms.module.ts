import { Module } from '@nestjs/common';

import { PresenceModule } from '../presence/presence.module';
import { UsersModule } from '../users/users.module';
import { RoomsDataModule } from './rooms-data.module';
import { RoomsController } from './rooms.controller';
import { RoomsService } from './rooms.service';

@Module({
  imports: [PresenceModule, RoomsDataModule, UsersModule],
  controllers: [RoomsController],
  providers: [RoomsService],
  exports: [RoomsService],
})
export class RoomsModule {}
