import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';

import { FieldErrors } from '@chat/contracts';

import { AppError } from './app-error';

/** class-validator's nested errors → `{ 'a.b': ['message'] }`. */
export function fieldErrorsOf(errors: ValidationError[], parent = ''): FieldErrors {
  const fields: FieldErrors = {};
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) fields[path || '_'] = Object.values(error.constraints);
    Object.assign(fields, fieldErrorsOf(error.children ?? [], path));
  }
  return fields;
}

/**
 * Far deeper than any request of the contract. class-transformer and class-validator recurse once per
 * level, so a payload nested a few thousand levels deep (a few KB of `[[[[…`) would overflow the
 * stack: a RangeError, answered as INTERNAL.
 */
export const MAX_INPUT_DEPTH = 32;

/** Whether objects or arrays nest more than `limit` levels deep in `value`, found without recursion. */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  while (pending.length > 0) {
    const [current, depth] = pending.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(current)) pending.push([child, depth + 1]);
  }
  return false;
}

/** Refuses input nested deeper than MAX_INPUT_DEPTH before class-transformer walks it. */
class ContractValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.metatype && this.toValidate(metadata) && nestsDeeperThan(value, MAX_INPUT_DEPTH)) {
      throw AppError.validation({}, `Input must not nest deeper than ${MAX_INPUT_DEPTH} levels`);
    }
    return super.transform(value, metadata);
  }
}

/**
 * The one validation pipe of HTTP bodies/queries and socket payloads: unknown properties are refused
 * rather than silently dropped, input nested absurdly deep is refused before it is walked, and
 * failures become a VALIDATION AppError with field messages.
 */
export function createValidationPipe(): ValidationPipe {
  return new ContractValidationPipe({
    transform: true,
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const fields = fieldErrorsOf(errors);
      const message = Object.keys(fields).length > 0 ? 'Invalid input' : 'Payload must be an object';
      return AppError.validation(fields, message);
    },
  });
}
