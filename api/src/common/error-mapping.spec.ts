import { BadRequestException, NotFoundException } from '@nestjs/common';
import { QueryFailedError } from 'typeorm';

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

  it('reports node-postgres connection failures and timeouts as UNAVAILABLE, also wrapped by TypeORM', () => {
    const driverErrors = [
      new Error('Connection terminated unexpectedly'),
      new Error('Connection terminated due to connection timeout'),
      new Error('timeout exceeded when trying to connect'),
      new Error('Query read timeout'),
      new Error('Client has encountered a connection error and is not queryable'),
      Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }),
      Object.assign(new Error('canceling statement due to statement timeout'), { code: '57014' }),
    ];
    for (const driverError of driverErrors) {
      expect(mapError(driverError)).toMatchObject({ status: 503, body: { code: ErrorCode.UNAVAILABLE } });
      const wrapped = new QueryFailedError('SELECT 1', [], driverError);
      expect(mapError(wrapped)).toMatchObject({ status: 503, body: { code: ErrorCode.UNAVAILABLE } });
    }
  });

  it('keeps bad SQL and constraint failures INTERNAL, not UNAVAILABLE', () => {
    const syntax = Object.assign(new Error('syntax error at or near "SELEC"'), { code: '42601' });
    expect(mapError(new QueryFailedError('SELEC 1', [], syntax)).body.code).toBe(ErrorCode.INTERNAL);
    const lockNotAvailable = Object.assign(new Error('lock not available'), { code: '55P03' });
    expect(mapError(lockNotAvailable).body.code).toBe(ErrorCode.INTERNAL);
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
