import type { TokenClaims } from '../auth/auth-user';
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
