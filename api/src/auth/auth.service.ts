import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { JwtService } from '@nestjs/jwt';

import { AuthResponse, Limits } from '@chat/contracts';

import { AppError } from '../common/app-error';
import { AllConfig } from '../config/config.type';
import { UserEntity } from '../users/entities/user.entity';
import { toUser, toUserRef } from '../users/users.mapper';
import { UsersService } from '../users/users.service';
import { AuthUser, TokenClaims } from './auth-user';
import { LoginDto } from './dto/login.dto';
import { LoginThrottle } from './login-throttle';
import { RegisterDto } from './dto/register.dto';
import { PasswordHasher } from './password-hasher';

const INVALID_CREDENTIALS = 'Invalid username or password';

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UsersService,
    private readonly hasher: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly jwt: JwtService,
    private readonly config: ConfigService<AllConfig, true>,
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
    return this.issue(user);
  }

  /**
   * A verified token → the user it names, read from the database so a deleted account is refused
   * even while its token has not expired. Used by the HTTP strategy and the socket handshake.
   */
  async authenticate(token: string): Promise<AuthUser> {
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(token, { algorithms: ['HS256'] });
    } catch {
      throw AppError.unauthorized('Invalid or expired token');
    }
    return this.userOfClaims(claims);
  }

  async userOfClaims(claims: TokenClaims): Promise<AuthUser> {
    const user = typeof claims.sub === 'string' ? await this.users.findById(claims.sub) : null;
    if (!user) throw AppError.unauthorized('Invalid or expired token');
    return toUserRef(user);
  }

  private async issue(user: UserEntity): Promise<AuthResponse> {
    const claims: TokenClaims = { sub: user.id, username: user.username };
    const accessToken = await this.jwt.signAsync(claims);
    return {
      accessToken,
      expiresIn: this.config.get('auth.jwtTtlSeconds', { infer: true }),
      user: toUser(user),
    };
  }
}
