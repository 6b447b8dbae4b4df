import { Logger } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type { ExtendedError } from 'socket.io';

import { ErrorCode } from '@chat/contracts';

import { AuthService } from '../auth/auth.service';
import { mapError } from '../common/error-mapping';
import type { ChatSocket } from '../realtime/socket-types';

/**
 * Authenticates the handshake (Nest guards do not run on connect). The token is read from
 * `auth.token` only — never the query string, which ends up in proxy logs. A refusal reaches the
 * client as `connect_error` with `message` = the error code and `data` = the error body.
 */
export function createWsAuthMiddleware(auth: AuthService) {
  const logger = new Logger('SocketAuth');
  return (socket: ChatSocket, next: (error?: ExtendedError) => void): void => {
    const token: unknown = socket.handshake.auth?.token;
    if (typeof token !== 'string' || token.length === 0) {
      logger.debug({ code: ErrorCode.UNAUTHORIZED }, 'Handshake refused: no auth.token');
      next(refusal(ErrorCode.UNAUTHORIZED, 'Missing token: connect with auth: { token }'));
      return;
    }
    auth.verify(token).then(
      ({ user, tokenId, sessionId, expiresAtMs }) => {
        socket.data.user = user;
        socket.data.tokenId = tokenId;
        socket.data.sessionId = sessionId;
        socket.data.expiresAtMs = expiresAtMs;
        // Checked first: even filtered out by the level, a log call makes the socket's child logger
        // (see socket-log-context), which an idle connection would then hold for its lifetime.
        if (PinoLogger.root?.isLevelEnabled('debug')) logger.debug('Handshake authenticated');
        next();
      },
      (error: unknown) => {
        const { body } = mapError(error);
        logger.debug({ code: body.code }, 'Handshake refused');
        next(refusal(body.code, body.message));
      },
    );
  };
}

export const unavailable = (message: string): ExtendedError => refusal(ErrorCode.UNAVAILABLE, message);

/** Anything a handshake check throws, as the `connect_error` the client receives. */
export function refusalOf(error: unknown): ExtendedError {
  const { body } = mapError(error);
  return refusal(body.code, body.message);
}

function refusal(code: ErrorCode, message: string): ExtendedError {
  const error: ExtendedError = new Error(code);
  error.data = { code, message };
  return error;
}
