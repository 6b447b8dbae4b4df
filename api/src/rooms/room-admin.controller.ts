import { Body, Controller, Delete, HttpCode, HttpStatus, Param, Patch, Post, Put } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';

import type { Room } from '@chat/contracts';

import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../common/current-user.decorator';
import { ErrorResponse, RoomResponse } from '../common/openapi/schemas';
import { UuidParam } from '../common/uuid-param.pipe';
import { SetRoleDto } from './dto/set-role.dto';
import { UpdateRoomDto } from './dto/update-room.dto';
import { UserIdDto } from './dto/user-id.dto';
import { RoomAdminService } from './room-admin.service';

const ROOM_UPDATED = 'The room as it is now; members get a system message and `room:updated`';

@ApiTags('rooms')
@ApiBearerAuth()
@ApiNotFoundResponse({ type: ErrorResponse })
@ApiForbiddenResponse({ type: ErrorResponse, description: 'The caller’s role does not allow it' })
@ApiConflictResponse({ type: ErrorResponse, description: 'ROOM_ARCHIVED: the room is read-only' })
@Controller('rooms')
export class RoomAdminController {
  constructor(private readonly admin: RoomAdminService) {}

  @Patch(':id')
  @ApiOkResponse({ type: RoomResponse, description: `Owner or admin. ${ROOM_UPDATED}` })
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam('id')) roomId: string,
    @Body() dto: UpdateRoomDto,
  ): Promise<Room> {
    return this.admin.update(user.id, roomId, dto);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({
    description: 'Owner. Messages and attachments go with it; members get `room:removed {reason: deleted}`',
  })
  delete(@CurrentUser() user: AuthUser, @Param('id', UuidParam('id')) roomId: string): Promise<void> {
    return this.admin.delete(user.id, roomId);
  }

  @Put(':id/members/:userId/role')
  @ApiOkResponse({
    type: RoomResponse,
    description: `Owner: promote to admin or demote to member. ${ROOM_UPDATED}`,
  })
  setRole(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam('id')) roomId: string,
    @Param('userId', UuidParam('userId')) userId: string,
    @Body() dto: SetRoleDto,
  ): Promise<Room> {
    return this.admin.setRole(user.id, roomId, userId, dto.role);
  }

  @Put(':id/owner')
  @ApiOkResponse({
    type: RoomResponse,
    description: `Owner: hand the room to a member; the old owner becomes an admin. ${ROOM_UPDATED}`,
  })
  transfer(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam('id')) roomId: string,
    @Body() dto: UserIdDto,
  ): Promise<Room> {
    return this.admin.transfer(user.id, roomId, dto.userId);
  }

  @Delete(':id/members/:userId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({
    description:
      'Owner, or admin for plain members: removed, sent `room:removed {reason: removed}` and unsubscribed on every instance',
  })
  async remove(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam('id')) roomId: string,
    @Param('userId', UuidParam('userId')) userId: string,
  ): Promise<void> {
    await this.admin.remove(user.id, roomId, userId);
  }

  @Post(':id/bans')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({
    description:
      'Owner, or admin for plain members: removed from the room, kept out, and their sockets unsubscribed',
  })
  async ban(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam('id')) roomId: string,
    @Body() dto: UserIdDto,
  ): Promise<void> {
    await this.admin.ban(user.id, roomId, dto.userId);
  }

  @Delete(':id/bans/:userId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiNoContentResponse({ description: 'Owner or admin' })
  unban(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam('id')) roomId: string,
    @Param('userId', UuidParam('userId')) userId: string,
  ): Promise<void> {
    return this.admin.unban(user.id, roomId, userId);
  }

  @Post(':id/archive')
  @HttpCode(HttpStatus.OK)
  @ApiOkResponse({ type: RoomResponse, description: `Owner: the room becomes read-only. ${ROOM_UPDATED}` })
  archive(@CurrentUser() user: AuthUser, @Param('id', UuidParam('id')) roomId: string): Promise<Room> {
    return this.admin.setArchived(user.id, roomId, true);
  }

  @Delete(':id/archive')
  @ApiOkResponse({ type: RoomResponse, description: `Owner: writable again. ${ROOM_UPDATED}` })
  unarchive(@CurrentUser() user: AuthUser, @Param('id', UuidParam('id')) roomId: string): Promise<Room> {
    return this.admin.setArchived(user.id, roomId, false);
  }
}
