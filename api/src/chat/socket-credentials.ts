import type { TokenClaims } from '../auth/auth-user';
import { AppError } from '../common/app-error';
import type { ChatSocketData } from '../realtime/socket-types';

/**
 * The claims a socket's credentials are re-checked with (revocation, suspension, account still
 * there) through AuthService.userOfClaims: the one place that says which of a socket's token
 * properties a revocation can name.
 */
export function claimsOfSocket(
  data: Pick<ChatSocketData, 'user' | 'tokenId'> & Partial<Pick<ChatSocketData, 'sessionId'>>,
): TokenClaims {
  return {
    sub: data.user.id,
    username: data.user.username,
    jti: data.tokenId ?? undefined,
    sid: data.sessionId ?? undefined,
  };
}

/** Throws FORBIDDEN when the socket is a bot's whose API key does not reach this room. */
export function assertKeyScope(data: Pick<ChatSocketData, 'botKeyRoomIds'>, roomId: string): void {
  if (data.botKeyRoomIds && !data.botKeyRoomIds.includes(roomId)) {
    throw AppError.forbidden('This API key is not scoped to this room');
  }
}
