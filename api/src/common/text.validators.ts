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

/**
 * A string of `min` to `max` characters counted as Postgres counts `varchar(n)`: in code points.
 * Not class-validator's `Length`, which counts a character followed by a variation selector
 * (U+FE0E/U+FE0F, as in "❤️") as one: text within its limit could be twice too long for the column
 * and fail with SQLSTATE 22001, a 500.
 */
export function IsTextLength(min: number, max: number, options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isTextLength',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: [min, max],
      options: { message: `$property must be ${min} to ${max} characters long`, ...options },
      validator: {
        validate: (value: unknown) => {
          if (typeof value !== 'string') return false;
          // Cheap bounds first: a code point is one or two UTF-16 units.
          if (value.length < min || value.length > 2 * max) return false;
          let codePoints = 0;
          for (const _ of value) if (++codePoints > max) return false;
          return codePoints >= min;
        },
      },
    });
}
