import { Module } from '@nestjs/common';

import { UsersModule } from '../users/users.module';
import { AdminTokenGuard } from './admin-token.guard';
import { AdminController } from './admin.controller';

@Module({
  imports: [UsersModule],
  controllers: [AdminController],
  providers: [AdminTokenGuard],
})
export class AdminModule {}
