import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';

import { AuthResponse, Limits } from '@chat/contracts';

import { AppError } from '../common/app-error';
import { AllConfig } from '../config/config.type';
import { UserEntity } from '../users/entities/user.entity';
import { toUser, toUserRef } from '../users/users.mapper';
import { UsersService } from '../users/users.service';
import { AuthSession, AuthUser, TokenClaims } from './auth-user';
import { LoginDto } from './dto/login.dto';
import { RegisterDto } from './dto/register.dto';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password-hasher';
import { TokenRevocations } from './token-revocations';

const INVALID_CREDENTIALS = 'Invalid username or password';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly jwt: JwtService,
    private readonly config: ConfigService<AllConfig, true>,
    private readonly revocations: TokenRevocations,
  ) {}

  async register(dto: RegisterDto): Promise<AuthResponse> {
    const passwordHash = await this.hasher.hash(dto.password);
    const user = await this.users.create(dto.username, passwordHash, dto.displayName?.trim() || dto.username);
    return this.issue(user);
  }

  /**
   * Unknown user and wrong password fail alike: same status, same body, and one argon2 verification
   * each (against a decoy hash when there is no such user), so neither the answer nor its time tells
   * which accounts exist. Attempts are throttled per username first (see LoginThrottle).
   */
  async login(dto: LoginDto): Promise<AuthResponse> {
    await this.throttle.attempt(dto.username);
    const plausible = dto.username.length <= Limits.USERNAME_MAX;
    const user = plausible ? await this.users.findForLogin(dto.username) : null;
    const valid = await this.hasher.verify(user?.passwordHash ?? null, dto.password);
    if (!user || !valid) throw AppError.unauthorized(INVALID_CREDENTIALS);
    await this.throttle.succeeded(dto.username);
    // Only told to whoever knows the password.
    if (user.suspendedAt) throw AppError.forbidden('This account is suspended');
    return this.issue(user);
  }

  /**
   * A token → its session: the user, read from the database so a deleted or suspended account is
   * refused even while its token has not expired, the token's id and its expiry. The socket handshake
   * and `auth:refresh` use it; the HTTP strategy goes through userOfClaims.
   */
  async verify(token: string): Promise<AuthSession> {
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(token, { algorithms: ['HS256'] });
    } catch {
      throw AppError.unauthorized('Invalid or expired token');
    }
    const user = await this.userOfClaims(claims);
    return { user, tokenId: claims.jti ?? null, expiresAtMs: (claims.exp ?? 0) * 1000 };
  }

  async userOfClaims(claims: TokenClaims): Promise<AuthUser> {
    const user = typeof claims.sub === 'string' ? await this.users.findById(claims.sub) : null;
    if (!user) throw AppError.unauthorized('Invalid or expired token');
    if (claims.jti && (await this.revocations.isRevoked(claims.jti))) {
      throw AppError.unauthorized('This token was revoked: sign in again');
    }
    if (user.suspendedAt) throw AppError.forbidden('This account is suspended');
    return toUserRef(user);
  }

  /** A fresh token for the caller of a still-valid one, so clients never have to ask for the password again. */
  async refresh(user: AuthUser): Promise<AuthResponse> {
    return this.issue(await this.users.getById(user.id));
  }

  /** Revokes this token everywhere until it would have expired; returns its id to end its live sessions. */
  async logout(token: string): Promise<string | null> {
    const session = await this.verify(token);
    if (session.tokenId) await this.revocations.revoke(session.tokenId, session.expiresAtMs);
    return session.tokenId;
  }

  private async issue(user: UserEntity): Promise<AuthResponse> {
    const claims: TokenClaims = { sub: user.id, username: user.username };
    const accessToken = await this.jwt.signAsync(claims, { jwtid: randomUUID() });
    return {
      accessToken,
      expiresIn: this.config.get('auth.jwtTtlSeconds', { infer: true }),
      user: toUser(user),
    };
  }
}
