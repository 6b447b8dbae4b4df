import { HttpCode, HttpStatus, applyDecorators } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiResponseNoStatusOptions,
  ApiTags,
} from '@nestjs/swagger';

import { ErrorResponse } from './schemas';

/**
 * A controller of what a room's owner (or admins) manage: signed in, 404 for an id the caller
 * cannot see, 403 (described by `forbidden`) for a role that may not.
 */
export const RoomManagementApi = (tag: string, forbidden?: string): ClassDecorator =>
  applyDecorators(
    ApiTags(tag),
    ApiBearerAuth(),
    ApiNotFoundResponse({ type: ErrorResponse }),
    ApiForbiddenResponse(
      forbidden === undefined ? { type: ErrorResponse } : { type: ErrorResponse, description: forbidden },
    ),
  );

/** 204 and no body, whatever the verb (Nest answers 201 to a POST and 200 to the rest). */
export const NoContentRoute = (description?: string): MethodDecorator =>
  applyDecorators(
    HttpCode(HttpStatus.NO_CONTENT),
    description === undefined ? ApiNoContentResponse() : ApiNoContentResponse({ description }),
  );

/** 200 with a body, also for a POST (which Nest would answer with 201). */
export const OkRoute = (response: ApiResponseNoStatusOptions): MethodDecorator =>
  applyDecorators(HttpCode(HttpStatus.OK), ApiOkResponse(response));
