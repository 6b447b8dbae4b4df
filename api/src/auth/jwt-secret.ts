import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * JWT_SECRET when set; otherwise (development only — production refuses to boot without it, see
 * env validation) a random secret generated once and kept in DATA_DIR so tokens survive restarts.
 */
export function resolveJwtSecret(configured: string | null, dataDir: string): string {
  if (configured) return configured;
  const file = join(dataDir, 'jwt-secret');
  const logger = new Logger('JwtSecret');
  if (existsSync(file)) {
    logger.debug(`JWT_SECRET is not set: using the development secret in ${file}`);
    return readFileSync(file, 'utf8').trim();
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  logger.debug(
    `JWT_SECRET is not set: generated a development secret in ${file}; set JWT_SECRET in production`,
  );
  return secret;
}
