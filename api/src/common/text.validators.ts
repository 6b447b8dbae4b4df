import { ValidationOptions, registerDecorator } from 'class-validator';

/**
 * Refuses strings Postgres could not store byte-for-byte: NUL characters (rejected by `text`)
 * and lone UTF-16 surrogates (which would be silently replaced with U+FFFD on the way in).
 */
export function IsStorableText(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isStorableText',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property contains characters that cannot be stored', ...options },
      validator: {
        validate: (value: unknown) =>
          typeof value !== 'string' || (!value.includes('\u0000') && value.isWellFormed()),
      },
    });
}
