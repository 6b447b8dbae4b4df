import { BadRequestException, NotFoundException } from '@nestjs/common';

import { ErrorCode } from '@chat/contracts';

import { AppError } from './app-error';
import { mapError } from './error-mapping';

describe('mapError', () => {
  it('keeps an AppError code, message and fields, with the matching status', () => {
    const mapped = mapError(AppError.validation({ body: ['too long'] }));
    expect(mapped).toEqual({
      status: 400,
      body: { code: ErrorCode.VALIDATION, message: 'Invalid input', fields: { body: ['too long'] } },
      unexpected: false,
    });
    expect(mapError(new AppError(ErrorCode.ROOM_FULL, 'full')).status).toBe(409);
  });

  it('maps Nest HTTP exceptions by status', () => {
    expect(mapError(new NotFoundException('Cannot GET /x')).body).toEqual({
      code: ErrorCode.NOT_FOUND,
      message: 'Cannot GET /x',
    });
    expect(mapError(new BadRequestException()).body.code).toBe(ErrorCode.VALIDATION);
  });

  it('maps exposed Express client errors (body too large) to their 4xx', () => {
    const tooLarge = Object.assign(new Error('request entity too large'), { status: 413, expose: true });
    expect(mapError(tooLarge)).toMatchObject({ status: 413, body: { code: ErrorCode.VALIDATION } });
  });

  it('reports a lost database as UNAVAILABLE, not INTERNAL', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    expect(mapError(refused)).toMatchObject({ status: 503, body: { code: ErrorCode.UNAVAILABLE } });
    const adminShutdown = Object.assign(new Error('terminating connection'), { code: '57P01' });
    expect(mapError(adminShutdown).body.code).toBe(ErrorCode.UNAVAILABLE);
  });

  it('hides the details of anything unexpected', () => {
    const mapped = mapError(new Error('relation "secret_table" does not exist'));
    expect(mapped).toEqual({
      status: 500,
      body: { code: ErrorCode.INTERNAL, message: 'Internal error' },
      unexpected: true,
    });
  });
});
