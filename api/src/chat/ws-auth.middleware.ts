import { Logger } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type { ExtendedError } from 'socket.io';

import { ErrorCode } from '@chat/contracts';

import type { AuthSession } from '../auth/auth-user';
import { AuthService } from '../auth/auth.service';
import { isApiKey } from '../bots/api-key';
import { BotKeys } from '../bots/bot-keys';
import { AppError } from '../common/app-error';
import { mapError } from '../common/error-mapping';
import type { ChatSocket } from '../realtime/socket-types';

/** An API key does not expire by itself; kept finite because socket data may be serialized as JSON. */
const API_KEY_EXPIRY_MS = Number.MAX_SAFE_INTEGER;

/**
 * Authenticates the handshake (Nest guards do not run on connect). The token is read from
 * `auth.token` only — never the query string, which ends up in proxy logs: a user's JWT, or a bot's
 * API key (`chatbot_…`, told apart by its prefix as the REST guard does). A refusal reaches the
 * client as `connect_error` with `message` = the error code and `data` = the error body.
 */
export function createWsAuthMiddleware(auth: AuthService, botKeys: BotKeys) {
  const logger = new Logger('SocketAuth');
  return (socket: ChatSocket, next: (error?: ExtendedError) => void): void => {
    const token: unknown = socket.handshake.auth?.token;
    if (typeof token !== 'string' || token.length === 0) {
      logger.debug({ code: ErrorCode.UNAUTHORIZED }, 'Handshake refused: no auth.token');
      next(refusal(ErrorCode.UNAUTHORIZED, 'Missing token: connect with auth: { token }'));
      return;
    }
    const verified: Promise<AuthSession & { botKeyRoomIds?: string[] }> = isApiKey(token)
      ? verifyApiKey(botKeys, token)
      : auth.verify(token);
    verified.then(
      ({ user, tokenId, sessionId, expiresAtMs, botKeyRoomIds }) => {
        socket.data.user = user;
        if (botKeyRoomIds) socket.data.botKeyRoomIds = botKeyRoomIds;
        socket.data.tokenId = tokenId;
        socket.data.sessionId = sessionId;
        socket.data.expiresAtMs = expiresAtMs;
        // Not kept for the connection's lifetime (a few hundred bytes per socket): nothing reads the
        // token after this, `auth:refresh` brings its own, and a reconnect sends it again.
        const { token: _verified, ...rest } = socket.handshake.auth as Record<string, unknown>;
        socket.handshake.auth = rest;
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

async function verifyApiKey(
  botKeys: BotKeys,
  token: string,
): Promise<AuthSession & { botKeyRoomIds: string[] }> {
  const bot = await botKeys.authenticate(token);
  if (!bot) throw AppError.unauthorized('Invalid or revoked API key');
  return {
    user: bot.user,
    tokenId: bot.keyId,
    sessionId: null,
    expiresAtMs: API_KEY_EXPIRY_MS,
    botKeyRoomIds: bot.roomIds,
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
