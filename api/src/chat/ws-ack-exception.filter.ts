import { ArgumentsHost, Catch, Logger, WsExceptionFilter } from '@nestjs/common';

import type { AckError } from '@chat/contracts';

import { mapError } from '../common/error-mapping';

/**
 * Anything a socket handler throws becomes the error ack `{ ok: false, error: { code, message } }`,
 * so a client awaiting an ack always gets one: never a silent drop, never the raw exception.
 */
@Catch()
export class WsAckExceptionFilter implements WsExceptionFilter {
  private readonly logger = new Logger('ChatGateway');

  catch(exception: unknown, host: ArgumentsHost): void {
    const { body, unexpected } = mapError(exception);
    if (unexpected) this.logger.error(exception instanceof Error ? exception.stack : String(exception));
    // Nest calls socket handlers with (socket, payload, ack).
    const ack: unknown = host.getArgByIndex(2);
    if (typeof ack === 'function') (ack as (response: AckError) => void)({ ok: false, error: body });
  }
}
