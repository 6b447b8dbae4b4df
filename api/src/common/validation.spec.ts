import { Type } from 'class-transformer';
import { IsString, MaxLength, ValidateNested } from 'class-validator';

import { ErrorCode } from '@chat/contracts';

import { AppError } from './app-error';
import { IsStorableText } from './text.validators';
import { MAX_INPUT_DEPTH, createValidationPipe, nestsDeeperThan } from './validation';

class Inner {
  @IsString()
  @MaxLength(3)
  name!: string;
}

class Outer {
  @IsString()
  @IsStorableText()
  text!: string;

  @ValidateNested()
  @Type(() => Inner)
  inner!: Inner;
}

const validate = (value: unknown) =>
  createValidationPipe().transform(value, { type: 'body', metatype: Outer });

async function failure(value: unknown): Promise<AppError> {
  try {
    await validate(value);
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected a validation failure');
}

describe('createValidationPipe', () => {
  it('passes a valid payload through as an instance', async () => {
    const result = await validate({ text: 'hi', inner: { name: 'abc' } });
    expect(result).toBeInstanceOf(Outer);
  });

  it('answers with VALIDATION and dotted field paths', async () => {
    const error = await failure({ text: 'hi', inner: { name: 'toolong' } });
    expect(error.code).toBe(ErrorCode.VALIDATION);
    expect(Object.keys(error.fields!)).toEqual(['inner.name']);
  });

  it('refuses unknown properties instead of dropping them', async () => {
    const error = await failure({ text: 'hi', inner: { name: 'a' }, admin: true });
    expect(error.fields).toHaveProperty('admin');
  });

  it.each([null, 'text', 42, [1, 2]])('refuses a non-object payload (%p)', async (value) => {
    expect((await failure(value)).code).toBe(ErrorCode.VALIDATION);
  });

  it('refuses text Postgres cannot store byte-for-byte', async () => {
    expect((await failure({ text: 'a\u0000b', inner: { name: 'a' } })).fields).toHaveProperty('text');
    expect((await failure({ text: 'lone \ud800', inner: { name: 'a' } })).fields).toHaveProperty('text');
  });

  it('refuses input nested thousands of levels deep before walking it (class-transformer overflowed the stack)', async () => {
    const deep = JSON.parse(`${'['.repeat(10_000)}${']'.repeat(10_000)}`) as unknown;
    const error = await failure(deep);
    expect(error.code).toBe(ErrorCode.VALIDATION);
    expect(error.message).toContain(`${MAX_INPUT_DEPTH} levels`);
  });
});

describe('nestsDeeperThan', () => {
  it('counts levels of objects and arrays, not of values', () => {
    expect(nestsDeeperThan('text', 0)).toBe(false);
    expect(nestsDeeperThan({ a: { b: 1 } }, 2)).toBe(false);
    expect(nestsDeeperThan({ a: { b: {} } }, 2)).toBe(true);
    expect(nestsDeeperThan([[], [[[]]]], 3)).toBe(true);
  });
});
