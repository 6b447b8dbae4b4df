import type { UserRef } from '@chat/contracts';

/** Who is calling: resolved from a verified JWT on every request and at every socket handshake. */
export type AuthUser = UserRef;

/** The claims this service puts in its tokens. */
export interface TokenClaims {
  sub: string;
  username: string;
}
