import 'reflect-metadata';
import { DataSource } from 'typeorm';

import { entities } from './entities';
import { migrations } from './migrations';

/** For the TypeORM CLI (`npm run migration:*`); the app builds its own in DatabaseModule. */
export default new DataSource({
  type: 'postgres',
  url: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  entities,
  migrations,
  synchronize: false,
});
