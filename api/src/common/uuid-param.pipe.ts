import { ParseUUIDPipe } from '@nestjs/common';

import { AppError } from './app-error';

/** Route ids are UUIDs; anything else is a 400 with the parameter named, not a database error. */
export const UuidParam = (name: string) =>
  new ParseUUIDPipe({ exceptionFactory: () => AppError.validation({ [name]: [`${name} must be a UUID`] }) });
