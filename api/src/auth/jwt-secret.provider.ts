import { Provider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { KeyObject, createSecretKey } from 'node:crypto';

import { AllConfig } from '../config/config.type';
import { resolveJwtSecret } from './jwt-secret';

export const JWT_SECRET = Symbol('JWT_SECRET');

/**
 * The HS256 secret as a KeyObject, made once. Given a string, jsonwebtoken first tries to parse it as
 * a PEM public key on every sign and verify (and throws, and then makes a secret key): that was 5–9 %
 * of an instance's CPU in the connection-heavy benchmarks.
 */
export type JwtKey = KeyObject;

export const jwtSecretProvider: Provider = {
  provide: JWT_SECRET,
  inject: [ConfigService],
  useFactory: (config: ConfigService<AllConfig, true>): JwtKey =>
    createSecretKey(
      Buffer.from(
        resolveJwtSecret(
          config.get('auth.jwtSecret', { infer: true }),
          config.get('app.dataDir', { infer: true }),
        ),
        'utf8',
      ),
    ),
};
