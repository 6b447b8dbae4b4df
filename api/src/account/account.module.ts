import { Module } from '@nestjs/common';

import { AuthModule } from '../auth/auth.module';
import { RoomsDataModule } from '../rooms/rooms-data.module';
import { RoomsModule } from '../rooms/rooms.module';
import { UsersModule } from '../users/users.module';
import { AccountController } from './account.controller';
import { AccountService } from './account.service';

@Module({
  imports: [AuthModule, UsersModule, RoomsModule, RoomsDataModule],
  controllers: [AccountController],
  providers: [AccountService],
})
export class AccountModule {}
