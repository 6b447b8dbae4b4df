import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';

import { AddressLimiter } from '../common/address-limiter';
import { AllConfig } from '../config/config.type';
import { RedisConnection } from '../redis/redis.module';
import { UsersModule } from '../users/users.module';
import { AuthSessions } from './auth-sessions';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { BearerAuth } from './bearer-auth';
import { AuthSessionEntity } from './entities/auth-session.entity';
import { JwtAuthGuard } from './jwt-auth.guard';
import { JWT_SECRET, JwtKey, jwtSecretProvider } from './jwt-secret.provider';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password-hasher';
import { SessionsService } from './sessions.service';
import { SignInLimits } from './sign-in-limits';
import { TokenRevocations } from './token-revocations';

@Module({
  imports: [
    UsersModule,
    TypeOrmModule.forFeature([AuthSessionEntity]),
    JwtModule.registerAsync({
      extraProviders: [jwtSecretProvider],
      inject: [ConfigService, JWT_SECRET],
      useFactory: (config: ConfigService<AllConfig, true>, key: JwtKey) => ({
        // @nestjs/jwt types the secret as string | Buffer but hands it to jsonwebtoken, which takes a KeyObject.
        secret: key as unknown as string,
        signOptions: { algorithm: 'HS256', expiresIn: config.get('auth.jwtTtlSeconds', { infer: true }) },
        verifyOptions: { algorithms: ['HS256'] },
      }),
    }),
  ],
  controllers: [AuthController],
  providers: [
    AuthService,
    PasswordHasher,
    TokenRevocations,
    AuthSessions,
    SessionsService,
    {
      provide: SignInLimits,
      inject: [ConfigService, RedisConnection],
      useFactory: (config: ConfigService<AllConfig, true>, redis: RedisConnection) => {
        const limits = config.get('auth.addressLimits', { infer: true });
        const store = (name: string) =>
          redis.client ? { client: redis.client, keyPrefix: redis.key(name) } : null;
        return new SignInLimits(
          AddressLimiter.create(
            'login-per-address',
            'sign-in attempts',
            limits.login,
            store('login-per-address'),
          ),
          AddressLimiter.create(
            'register-per-address',
            'sign-ups',
            limits.register,
            store('register-per-address'),
          ),
        );
      },
    },
    {
      provide: LoginThrottle,
      inject: [ConfigService, RedisConnection],
      useFactory: (config: ConfigService<AllConfig, true>, redis: RedisConnection) =>
        LoginThrottle.create(
          config.get('auth.loginThrottle', { infer: true }),
          redis.client ? { client: redis.client, keyPrefix: redis.key('login-attempts') } : null,
        ),
    },
    BearerAuth,
    jwtSecretProvider,
    { provide: APP_GUARD, useClass: JwtAuthGuard },
  ],
  exports: [
    AuthService,
    BearerAuth,
    TokenRevocations,
    SessionsService,
    AuthSessions,
    PasswordHasher,
    LoginThrottle,
  ],
})
export class AuthModule {}
