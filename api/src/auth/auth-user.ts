import type { UserRef } from '@chat/contracts';

/** Who is calling: resolved from a verified JWT on every request and at every socket handshake. */
export type AuthUser = UserRef;

/** The claims this service puts in its tokens (`jti`, `iat` and `exp` are set when signing). */
export interface TokenClaims {
  sub: string;
  username: string;
  /** The sign-in session the token belongs to; absent in tokens signed by tools (the load generator). */
  sid?: string;
  jti?: string;
  iat?: number;
  exp?: number;
}

/** A verified token: who it names, which token and session it is (for revocation) and when it stops being valid. */
export interface AuthSession {
  user: AuthUser;
  tokenId: string | null;
  sessionId: string | null;
  expiresAtMs: number;
}
