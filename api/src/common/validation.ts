import { ValidationError, ValidationPipe } from '@nestjs/common';

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
 * The one validation pipe of HTTP bodies/queries and socket payloads: unknown properties are refused
 * rather than silently dropped, and failures become a VALIDATION AppError with field messages.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
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
