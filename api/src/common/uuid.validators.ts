import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsUUID } from 'class-validator';

/** The one spelling of an id inside the API: lowercase, as Postgres returns UUIDs. */
export const canonicalUuid = (value: string): string => value.toLowerCase();

/**
 * An id in a body or a socket payload: a UUID in either case, lowercased. UUIDs are
 * case-insensitive (RFC 9562) and Postgres compares them so, but the services also compare ids as
 * strings (is this the caller? which direct conversation is this?) and name Socket.IO rooms after
 * them: an uppercase spelling would be a second identity for the same user or room.
 */
export const IsCanonicalUuid = (): PropertyDecorator =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? canonicalUuid(value) : value)),
    IsUUID(),
  );

/** A list of ids, each as IsCanonicalUuid. */
export const IsCanonicalUuids = (): PropertyDecorator =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) =>
      Array.isArray(value) ? value.map((item) => (typeof item === 'string' ? canonicalUuid(item) : item)) : value,
    ),
    IsUUID(undefined, { each: true }),
  );
