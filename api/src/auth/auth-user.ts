import type { UserRef } from '@chat/contracts';

/** Who is calling: resolved from a verified JWT on every request and at every socket handshake. */
export type AuthUser = UserRef;

/** The claims this service puts in its tokens (`jti`, `iat` and `exp` are set when signing). */
export interface TokenClaims {
  sub: string;
  username: string;
  jti?: string;
  iat?: number;
  exp?: number;
}

/** A verified token: who it names, which token it is (for revocation) and when it stops being valid. */
export interface AuthSession {
  user: AuthUser;
  tokenId: string | null;
  expiresAtMs: number;
}
