import { Body, Controller, Delete, HttpCode, HttpStatus, Param, Patch, Post, Put } from '@nestjs/common';
import { ApiConflictResponse, ApiOkResponse } from '@nestjs/swagger';

import type { Room } from '@chat/contracts';

import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../common/current-user.decorator';
import { NoContentRoute, RoomManagementApi } from '../common/openapi/route.decorators';
import { ErrorResponse, RoomResponse } from '../common/openapi/schemas';
import { UuidParam } from '../common/uuid-param.pipe';
import { SetRoleDto } from './dto/set-role.dto';
import { UpdateRoomDto } from './dto/update-room.dto';
import { UserIdDto } from './dto/user-id.dto';
import { RoomAdminService } from './room-admin.service';

/** Answers the room as it is after the change; `who` says which roles may make it, and what it does. */
const RoomUpdated = (who: string): MethodDecorator =>
  ApiOkResponse({
    type: RoomResponse,
    description: `${who} The room as it is now; members get a system message and \`room:updated\``,
  });

@RoomManagementApi('rooms', 'The caller’s role does not allow it')
@ApiConflictResponse({ type: ErrorResponse, description: 'ROOM_ARCHIVED: the room is read-only' })
@Controller('rooms')
export class RoomAdminController {
  constructor(private readonly admin: RoomAdminService) {}

  @Patch(':id')
  @RoomUpdated('Owner or admin.')
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam('id')) roomId: string,
    @Body() dto: UpdateRoomDto,
  ): Promise<Room> {
    return this.admin.update(user.id, roomId, dto);
  }

  @Delete(':id')
  @NoContentRoute('Owner. Messages and attachments go with it; members get `room:removed {reason: deleted}`')
  delete(@CurrentUser() user: AuthUser, @Param('id', UuidParam('id')) roomId: string): Promise<void> {
    return this.admin.delete(user.id, roomId);
  }

  @Put(':id/members/:userId/role')
  @RoomUpdated('Owner: promote to admin or demote to member.')
  setRole(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam('id')) roomId: string,
    @Param('userId', UuidParam('userId')) userId: string,
    @Body() dto: SetRoleDto,
  ): Promise<Room> {
    return this.admin.setRole(user.id, roomId, userId, dto.role);
  }

  @Put(':id/owner')
  @RoomUpdated('Owner: hand the room to a member; the old owner becomes an admin.')
  transfer(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam('id')) roomId: string,
    @Body() dto: UserIdDto,
  ): Promise<Room> {
    return this.admin.transfer(user.id, roomId, dto.userId);
  }

  @Delete(':id/members/:userId')
  @NoContentRoute(
    'Owner, or admin for plain members: removed, sent `room:removed {reason: removed}` and unsubscribed on every instance',
  )
  async remove(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam('id')) roomId: string,
    @Param('userId', UuidParam('userId')) userId: string,
  ): Promise<void> {
    await this.admin.remove(user.id, roomId, userId);
  }

  @Post(':id/bans')
  @NoContentRoute(
    'Owner, or admin for plain members: removed from the room, kept out, and their sockets unsubscribed',
  )
  async ban(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam('id')) roomId: string,
    @Body() dto: UserIdDto,
  ): Promise<void> {
    await this.admin.ban(user.id, roomId, dto.userId);
  }

  @Delete(':id/bans/:userId')
  @NoContentRoute('Owner or admin')
  unban(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam('id')) roomId: string,
    @Param('userId', UuidParam('userId')) userId: string,
  ): Promise<void> {
    return this.admin.unban(user.id, roomId, userId);
  }

  @Post(':id/archive')
  @HttpCode(HttpStatus.OK)
  @RoomUpdated('Owner: the room becomes read-only.')
  archive(@CurrentUser() user: AuthUser, @Param('id', UuidParam('id')) roomId: string): Promise<Room> {
    return this.admin.setArchived(user.id, roomId, true);
  }

  @Delete(':id/archive')
  @RoomUpdated('Owner: writable again.')
  unarchive(@CurrentUser() user: AuthUser, @Param('id', UuidParam('id')) roomId: string): Promise<Room> {
    return this.admin.setArchived(user.id, roomId, false);
  }
}
