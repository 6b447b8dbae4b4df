import { ArgumentMetadata, ParseUUIDPipe } from '@nestjs/common';

import { AppError } from './app-error';
import { canonicalUuid } from './uuid.validators';

/** Accepts a UUID in either case and passes it on lowercased, like ids in bodies (IsCanonicalUuid). */
class CanonicalUuidPipe extends ParseUUIDPipe {
  override async transform(value: string, metadata: ArgumentMetadata): Promise<string> {
    return canonicalUuid(await super.transform(value, metadata));
  }
}

/** Route ids are UUIDs; anything else is a 400 with the parameter named, not a database error. */
export const UuidParam = (name: string) =>
  new CanonicalUuidPipe({
    exceptionFactory: () => AppError.validation({ [name]: [`${name} must be a UUID`] }),
  });
