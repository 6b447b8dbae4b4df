import { registerAs } from '@nestjs/config';

export interface DatabaseConfig {
  /** Unset → the embedded database under DATA_DIR. */
  url: string | null;
  poolSize: number;
}

export const databaseConfig = registerAs('database', (): DatabaseConfig => ({
  url: process.env.DATABASE_URL || null,
  poolSize: process.env.DATABASE_POOL_SIZE ? Number(process.env.DATABASE_POOL_SIZE) : 20,
}));
