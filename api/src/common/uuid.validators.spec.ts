import { ErrorCode } from '@chat/contracts';

import { AppError } from './app-error';
import { UuidParam } from './uuid-param.pipe';
import { IsCanonicalUuid } from './uuid.validators';
import { createValidationPipe } from './validation';

class Target {
  @IsCanonicalUuid()
  userId!: string;
}

const ID = '3f2b8c1e-5d4a-4b6f-9c7e-1a2b3c4d5e6f';

describe('ids in either case', () => {
  it('lowercases a UUID in a body or payload, so that it is one id everywhere', async () => {
    const dto = (await createValidationPipe().transform(
      { userId: ID.toUpperCase() },
      { type: 'body', metatype: Target },
    )) as Target;
    expect(dto.userId).toBe(ID);
  });

  it('lowercases a UUID route parameter', async () => {
    await expect(UuidParam('id').transform(ID.toUpperCase(), { type: 'param', data: 'id' })).resolves.toBe(
      ID,
    );
  });

  it('still refuses what is no UUID', async () => {
    await expect(
      createValidationPipe().transform({ userId: `{${ID}}` }, { type: 'body', metatype: Target }),
    ).rejects.toMatchObject({ code: ErrorCode.VALIDATION, fields: { userId: expect.any(Array) } });
    await expect(UuidParam('id').transform('nope', { type: 'param', data: 'id' })).rejects.toBeInstanceOf(
      AppError,
    );
  });
});
