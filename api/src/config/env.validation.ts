import { appEnv } from './app.config';
import { authEnv } from './auth.config';
import { databaseEnv } from './database.config';
import { checkEnv, readEnv } from './env-var';
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

/** Rules across variables, read from the raw values so they are reported beside any other problem. */
function crossChecks(raw: Record<string, unknown>): string[] {
  const unset = (name: string) => raw[name] === undefined || raw[name] === '';
  const problems: string[] = [];
  if (raw.NODE_ENV === 'production' && unset('JWT_SECRET')) {
    problems.push('JWT_SECRET is required when NODE_ENV=production');
  }
  for (const name of ['ADMIN_UI_USERNAME', 'ADMIN_UI_PASSWORD']) {
    if (raw.ADMIN_UI_ENABLED === 'true' && unset(name))
      problems.push(`${name} is required when ADMIN_UI_ENABLED=true`);
  }
  return problems;
}

/**
 * Called by ConfigModule at boot: one line per bad variable, then the process refuses to start.
 * Answers the environment with the set variables converted; defaults are applied by each namespace.
 */
export function validateEnvironment(raw: Record<string, unknown>): Record<string, unknown> {
  const problems = [...checkEnv(ENVIRONMENT, raw), ...crossChecks(raw)];
  if (problems.length > 0) {
    throw new Error(`Invalid configuration:\n${problems.map((line) => `  - ${line}`).join('\n')}`);
  }
  const converted: Record<string, unknown> = readEnv(ENVIRONMENT, raw as NodeJS.ProcessEnv);
  const set = Object.keys(ENVIRONMENT).filter((name) => raw[name] !== undefined && raw[name] !== '');
  return { ...raw, ...Object.fromEntries(set.map((name) => [name, converted[name]])) };
}
