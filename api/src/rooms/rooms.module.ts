import { Module } from '@nestjs/common';

import { PresenceModule } from '../presence/presence.module';
import { UsersModule } from '../users/users.module';
import { RoomAdminController } from './room-admin.controller';
import { RoomAdminRepository } from './room-admin.repository';
import { RoomAdminService } from './room-admin.service';
import { RoomsDataModule } from './rooms-data.module';
import { RoomsController } from './rooms.controller';
import { RoomsService } from './rooms.service';

@Module({
  imports: [PresenceModule, RoomsDataModule, UsersModule],
  controllers: [RoomsController, RoomAdminController],
  providers: [RoomsService, RoomAdminService, RoomAdminRepository],
  exports: [RoomsService, RoomAdminService],
})
export class RoomsModule {}
