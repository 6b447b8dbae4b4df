import { appEnv } from './app.config';
import { authEnv } from './auth.config';
import { databaseEnv } from './database.config';
import { EnvValues, checkEnv, readEnv } from './env-var';
import { limitsEnv } from './limits.config';
import { realtimeEnv } from './realtime.config';
import { redisEnv } from './redis.config';

/** Every variable this service reads, by namespace, in the order of the README's table. */
export const ENVIRONMENT = {
  ...appEnv,
  ...databaseEnv,
  ...redisEnv,
  ...realtimeEnv,
  ...authEnv,
  ...limitsEnv,
};

/** Rules across variables, checked once each variable is valid on its own. */
function crossChecks(env: EnvValues<typeof ENVIRONMENT>): string[] {
  const problems: string[] = [];
  if (env.NODE_ENV === 'production' && env.JWT_SECRET === null) {
    problems.push('JWT_SECRET: JWT_SECRET is required when NODE_ENV=production');
  }
  if (env.ADMIN_UI_ENABLED && env.ADMIN_UI_USERNAME === null) {
    problems.push('ADMIN_UI_USERNAME: ADMIN_UI_USERNAME is required when ADMIN_UI_ENABLED=true');
  }
  if (env.ADMIN_UI_ENABLED && env.ADMIN_UI_PASSWORD === null) {
    problems.push('ADMIN_UI_PASSWORD: ADMIN_UI_PASSWORD is required when ADMIN_UI_ENABLED=true');
  }
  return problems;
}

/**
 * Called by ConfigModule at boot: one line per bad variable, then the process refuses to start.
 * Answers the environment with the set variables converted; defaults are applied by each namespace.
 */
export function validateEnvironment(raw: Record<string, unknown>): Record<string, unknown> {
  let problems = checkEnv(ENVIRONMENT, raw);
  if (problems.length === 0) problems = crossChecks(readEnv(ENVIRONMENT, raw as NodeJS.ProcessEnv));
  if (problems.length > 0) {
    throw new Error(`Invalid configuration:\n${problems.map((line) => `  - ${line}`).join('\n')}`);
  }
  const converted = readEnv(ENVIRONMENT, raw as NodeJS.ProcessEnv);
  const set = Object.keys(ENVIRONMENT).filter((name) => raw[name] !== undefined && raw[name] !== '');
  return {
    ...raw,
    ...Object.fromEntries(set.map((name) => [name, converted[name as keyof typeof converted]])),
  };
}
