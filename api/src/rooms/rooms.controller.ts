import { Body, Controller, Get, Param, Post, Put, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';

import type { Member, MemberPage, MyRoom, NotificationPreference, Room } from '@chat/contracts';

import type { AuthUser } from '../auth/auth-user';
import { CurrentUser } from '../common/current-user.decorator';
import { NoContentRoute, OkRoute } from '../common/openapi/route.decorators';
import {
  ErrorResponse,
  MemberPageResponse,
  MemberResponse,
  MyRoomResponse,
  NotificationPreferenceResponse,
  RoomResponse,
} from '../common/openapi/schemas';
import { UuidParam } from '../common/uuid-param.pipe';
import { SearchQuery } from '../users/dto/search-users.query';
import { CreateRoomDto } from './dto/create-room.dto';
import { MembersQueryDto } from './dto/members.query';
import { NotificationPreferenceDto } from './dto/notification-preference.dto';
import { UserIdDto } from './dto/user-id.dto';
import { RoomsService } from './rooms.service';

@ApiTags('rooms')
@ApiBearerAuth()
@ApiNotFoundResponse({ type: ErrorResponse })
@Controller('rooms')
export class RoomsController {
  constructor(private readonly rooms: RoomsService) {}

  @Post()
  @ApiCreatedResponse({ type: RoomResponse, description: 'The caller becomes its owner' })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateRoomDto): Promise<Room> {
    return this.rooms.create(user.id, dto);
  }

  @Get()
  @ApiOkResponse({ type: [MyRoomResponse], description: 'My rooms, most recently active first' })
  mine(@CurrentUser() user: AuthUser): Promise<MyRoom[]> {
    return this.rooms.myRooms(user.id);
  }

  @Get('public')
  @ApiOkResponse({ type: [RoomResponse], description: 'Discoverable rooms' })
  discover(@Query() query: SearchQuery): Promise<Room[]> {
    return this.rooms.publicRooms(query.search);
  }

  @Post('direct')
  @OkRoute({ type: RoomResponse, description: 'The one direct room of the two users' })
  direct(@CurrentUser() user: AuthUser, @Body() dto: UserIdDto): Promise<Room> {
    return this.rooms.direct(user.id, dto.userId);
  }

  @Post(':id/join')
  @OkRoute({ type: RoomResponse })
  @ApiForbiddenResponse({ type: ErrorResponse, description: 'Private or direct room' })
  @ApiConflictResponse({ type: ErrorResponse, description: 'ROOM_FULL' })
  join(@CurrentUser() user: AuthUser, @Param('id', UuidParam('id')) roomId: string): Promise<Room> {
    return this.rooms.join(user.id, roomId);
  }

  @Post(':id/leave')
  @NoContentRoute('The room is archived when its last member leaves')
  @ApiConflictResponse({ type: ErrorResponse, description: 'The owner must hand the room over first' })
  leave(@CurrentUser() user: AuthUser, @Param('id', UuidParam('id')) roomId: string): Promise<void> {
    return this.rooms.leave(user.id, roomId);
  }

  @Put(':id/notifications')
  @ApiOkResponse({
    type: NotificationPreferenceResponse,
    description:
      'Your notification preference for the room (members only); GET /api/rooms shows it as notify',
  })
  @ApiForbiddenResponse({ type: ErrorResponse, description: 'Not a member' })
  setNotifications(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam('id')) roomId: string,
    @Body() dto: NotificationPreferenceDto,
  ): Promise<NotificationPreference> {
    return this.rooms.setNotificationPreference(user.id, roomId, dto.level);
  }

  @Post(':id/members')
  @ApiCreatedResponse({ type: MemberResponse })
  @ApiForbiddenResponse({ type: ErrorResponse, description: 'Only the owner and admins add members' })
  @ApiConflictResponse({ type: ErrorResponse, description: 'ROOM_FULL' })
  addMember(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam('id')) roomId: string,
    @Body() dto: UserIdDto,
  ): Promise<Member> {
    return this.rooms.addMember(user.id, roomId, dto.userId);
  }

  @Get(':id/members')
  @ApiOkResponse({
    type: MemberPageResponse,
    description: 'One page of members; follow `nextCursor` for more',
  })
  @ApiForbiddenResponse({ type: ErrorResponse })
  members(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidParam('id')) roomId: string,
    @Query() query: MembersQueryDto,
  ): Promise<MemberPage> {
    return this.rooms.members(user.id, roomId, query);
  }
}
