import { Provider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

import { AllConfig } from '../config/config.type';
import { resolveJwtSecret } from './jwt-secret';

export const JWT_SECRET = Symbol('JWT_SECRET');

export const jwtSecretProvider: Provider = {
  provide: JWT_SECRET,
  inject: [ConfigService],
  useFactory: (config: ConfigService<AllConfig, true>) =>
    resolveJwtSecret(
      config.get('auth.jwtSecret', { infer: true }),
      config.get('app.dataDir', { infer: true }),
    ),
};
