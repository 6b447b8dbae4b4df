import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';

import { AuthResponse, Limits } from '@chat/contracts';

import { AppError } from '../common/app-error';
import { AllConfig } from '../config/config.type';
import { UserEntity } from '../users/entities/user.entity';
import { toUser } from '../users/users.mapper';
import { UsersService } from '../users/users.service';
import { AuthSessions } from './auth-sessions';
import { AuthSession, AuthUser, TokenClaims } from './auth-user';
import { LoginDto } from './dto/login.dto';
import { RegisterDto } from './dto/register.dto';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password-hasher';
import { SignInLimits } from './sign-in-limits';
import { TokenRevocations } from './token-revocations';

const INVALID_CREDENTIALS = 'Invalid username or password';

/** Where a sign-in comes from: recorded with its session. */
export interface SignInContext {
  /** The client's address (TRUST_PROXY decides whether X-Forwarded-For counts); limits are counted per address. */
  address?: string;
  userAgent?: string;
}

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly jwt: JwtService,
    private readonly config: ConfigService<AllConfig, true>,
    private readonly revocations: TokenRevocations,
    private readonly sessions: AuthSessions,
    private readonly limits: SignInLimits,
  ) {}

  async register(dto: RegisterDto, context: SignInContext = {}): Promise<AuthResponse> {
    await this.limits.register.consume(context.address ?? 'unknown');
    const passwordHash = await this.hasher.hash(dto.password);
    const user = await this.users.create(dto.username, passwordHash, dto.displayName?.trim() || dto.username);
    return this.issue(user, await this.sessions.start(user.id, context.userAgent));
  }

  /**
   * Unknown user and wrong password fail alike: same status, same body, and one argon2 verification
   * each (against a decoy hash when there is no such user), so neither the answer nor its time tells
   * which accounts exist. Attempts are limited per client address, then throttled per username
   * (see LoginThrottle), both before any password work.
   */
  async login(dto: LoginDto, context: SignInContext = {}): Promise<AuthResponse> {
    await this.limits.login.consume(context.address ?? 'unknown');
    await this.throttle.attempt(dto.username);
    const plausible = dto.username.length <= Limits.USERNAME_MAX;
    const user = plausible ? await this.users.findForLogin(dto.username) : null;
    const valid = await this.hasher.verify(user?.passwordHash ?? null, dto.password);
    // A deleted account's hash is empty and never matches; checked anyway so that stays true.
    if (!user || !valid || user.deletedAt) throw AppError.unauthorized(INVALID_CREDENTIALS);
    await this.throttle.succeeded(dto.username);
    // Only told to whoever knows the password.
    if (user.suspendedAt) throw AppError.forbidden('This account is suspended');
    return this.issue(user, await this.sessions.start(user.id, context.userAgent));
  }

  /**
   * A token → its session: the user, read from the database so a deleted or suspended account is
   * refused even while its token has not expired, the token's id and its expiry. The socket handshake
   * and `auth:refresh` use it; HTTP requests go through BearerAuth.
   */
  async verify(token: string): Promise<AuthSession> {
    const claims = await this.claimsOf(token);
    const user = await this.userOfClaims(claims);
    return {
      user,
      tokenId: claims.jti ?? null,
      sessionId: claims.sid ?? null,
      expiresAtMs: (claims.exp ?? 0) * 1000,
    };
  }

  /** A token's claims once its HS256 signature and expiry check out; UNAUTHORIZED otherwise. */
  async claimsOf(token: string, refusal = 'Invalid or expired token'): Promise<TokenClaims> {
    try {
      return await this.jwt.verifyAsync<TokenClaims>(token, { algorithms: ['HS256'] });
    } catch {
      throw AppError.unauthorized(refusal);
    }
  }

  /** The user read and the revocation checked at once; refused for a missing or deleted user first, then revoked, then suspended. */
  async userOfClaims(claims: TokenClaims): Promise<AuthUser> {
    const [user, revoked] = await Promise.all([
      typeof claims.sub === 'string' ? this.users.credentialsOf(claims.sub) : null,
      this.revocations.isRevoked(claims),
    ]);
    if (!user) throw AppError.unauthorized('Invalid or expired token');
    if (user.deleted) throw AppError.unauthorized('This account was deleted');
    if (revoked) throw AppError.unauthorized('This token was revoked: sign in again');
    if (user.suspended) throw AppError.forbidden('This account is suspended');
    return user.ref;
  }

  /**
   * A fresh token in the caller's session, so clients never have to ask for the password again.
   * Refused once the session has ended, whatever token of it is presented. A token without a
   * session (signed by a tool) gets a new one.
   */
  async refresh(user: AuthUser, claims: TokenClaims, context: SignInContext = {}): Promise<AuthResponse> {
    const entity = await this.users.getById(user.id);
    if (!claims.sid) return this.issue(entity, await this.sessions.start(user.id, context.userAgent));
    await this.sessions.touch(user.id, claims.sid);
    return this.issue(entity, claims.sid);
  }

  private async issue(user: UserEntity, sessionId: string): Promise<AuthResponse> {
    const claims: TokenClaims = { sub: user.id, username: user.username, sid: sessionId };
    const accessToken = await this.jwt.signAsync(claims, { jwtid: randomUUID() });
    return {
      accessToken,
      expiresIn: this.config.get('auth.jwtTtlSeconds', { infer: true }),
      user: toUser(user),
    };
  }
}
