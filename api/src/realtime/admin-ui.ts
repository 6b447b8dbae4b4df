import { Logger } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { instrument } from '@socket.io/admin-ui';
import { compare, hashSync } from 'bcryptjs';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { dirname, join } from 'node:path';
import type { ExtendedError, Server, Socket } from 'socket.io';

import { ErrorCode } from '@chat/contracts';

import type { AddressLimiter } from '../common/address-limiter';
import { AppError } from '../common/app-error';

/** bcrypt reads at most 72 bytes; a longer "password" is noise, and an unbounded one costs memory. */
const PASSWORD_MAX_BYTES = 72;
const USERNAME_MAX = 64;

export interface AdminUiGuard {
  /** Credential attempts per client address (a success starts over). */
  attempts: AddressLimiter;
  clientAddress: (request: IncomingMessage) => string;
}

/**
 * The Socket.IO Admin UI: sockets, rooms and events of every instance (it aggregates through the
 * adapter). Off unless ADMIN_UI_ENABLED=true; its namespace demands the configured credentials, and
 * it is read-only, so an operator can look but not disconnect or join sockets from it.
 *
 * The library's own check hands whatever the handshake carries to bcrypt, whose rejection of a
 * missing or non-string password escapes its async middleware as an unhandled rejection (that took
 * the process down). So the handshake is checked here first, and only well-formed, correct
 * credentials (or a resumed admin session id) reach the library; guesses are limited per address.
 */
export function instrumentAdminUi(
  server: Server,
  credentials: { username: string; password: string },
  instanceId: string,
  guard: AdminUiGuard,
) {
  const passwordHash = hashSync(credentials.password, 10);
  server.of('/admin').use(createAdminHandshakeCheck(credentials.username, passwordHash, guard));
  instrument(server, {
    namespaceName: '/admin',
    auth: { type: 'basic', username: credentials.username, password: passwordHash },
    mode: 'production',
    readonly: true,
    serverId: instanceId,
  });
}

export function createAdminHandshakeCheck(username: string, passwordHash: string, guard: AdminUiGuard) {
  const logger = new Logger('AdminUi');
  const expectedUser = digest(username);
  const refuse = (next: (error?: ExtendedError) => void, message = 'invalid credentials') =>
    next(new Error(message));

  return (socket: Socket, next: (error?: ExtendedError) => void): void => {
    const auth: unknown = socket.handshake.auth;
    const fields = (typeof auth === 'object' && auth !== null ? auth : {}) as Record<string, unknown>;
    // A session id the UI got from an earlier sign-in: the library looks it up in its store.
    if (fields.sessionId !== undefined && fields.username === undefined) {
      if (typeof fields.sessionId === 'string' && fields.sessionId.length <= 64) next();
      else refuse(next);
      return;
    }
    const address = guard.clientAddress(socket.request);
    const check = async (): Promise<boolean> => {
      await guard.attempts.consume(address);
      const { username: user, password } = fields;
      if (typeof user !== 'string' || typeof password !== 'string') return false;
      if (user.length > USERNAME_MAX || Buffer.byteLength(password) > PASSWORD_MAX_BYTES) return false;
      const userMatches = timingSafeEqual(digest(user), expectedUser);
      const passwordMatches = await compare(password, passwordHash);
      return userMatches && passwordMatches;
    };
    check().then(
      async (valid) => {
        if (!valid) {
          logger.warn({ address }, 'Admin UI sign-in refused: wrong credentials');
          refuse(next);
          return;
        }
        await guard.attempts.reset(address);
        next();
      },
      (error: Error) => {
        // RATE_LIMITED says so (with the wait); a failing limiter store refuses like bad credentials.
        const throttled = error instanceof AppError && error.code === ErrorCode.RATE_LIMITED;
        logger.warn({ address }, `Admin UI sign-in refused: ${error.message}`);
        refuse(next, throttled ? error.message : undefined);
      },
    );
  };
}

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/** Serves the UI bundled in the package at /admin-ui, so it works without reaching any outside host. */
export function serveAdminUi(app: NestExpressApplication): void {
  const ui = join(dirname(require.resolve('@socket.io/admin-ui/package.json')), 'ui/dist');
  app.useStaticAssets(ui, { prefix: '/admin-ui/' });
}
