import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import type { Response } from 'express';

import { HttpErrorResponse } from '@chat/contracts';

import { mapError } from './error-mapping';

/** Every HTTP failure leaves as `{ statusCode, code, message, fields? }`; never a stack or SQL. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(HttpExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { status, body, unexpected } = mapError(exception);
    if (unexpected) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    if (response.headersSent) return;
    if (body.retryAfter !== undefined) response.setHeader('Retry-After', String(body.retryAfter));
    const payload: HttpErrorResponse = { statusCode: status, ...body };
    response.status(status).json(payload);
  }
}
