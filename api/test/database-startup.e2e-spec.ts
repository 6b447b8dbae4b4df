import { BuiltApp, startBuiltApp } from './support/built-app';
import { eventually } from './support/cluster';
import { TcpProxy } from './support/tcp-proxy';
import { RUN_DATABASE_URL_VAR } from './support/test-env';

/** Attempts the old bound (3) never reached: proof the instance outlasts a slow first boot of Postgres. */
const REFUSED_ATTEMPTS = 5;

/**
 * Instances and Postgres started together (docker compose, Kubernetes): the database may refuse
 * connections for a while — first-boot init, a restart. The instance waits for it; but a mistake that
 * waiting cannot fix stops it at once, saying what is wrong.
 */
describe('connecting to Postgres at start-up', () => {
  let proxy: TcpProxy | undefined;
  let app: BuiltApp | undefined;

  afterEach(async () => {
    await app?.stop();
    await proxy?.close();
    app = proxy = undefined;
  });

  it('keeps retrying while Postgres refuses connections, then starts once it answers', async () => {
    const databaseUrl = process.env[RUN_DATABASE_URL_VAR]!;
    const target = new URL(databaseUrl);
    proxy = await TcpProxy.start({ host: target.hostname, port: Number(target.port || 5432) });
    proxy.cut('refuse');

    const starting = startBuiltApp({ DATABASE_URL: proxy.proxiedUrl(databaseUrl) });
    // An instance that gives up first exits, and startBuiltApp rejects with its output.
    await Promise.race([
      eventually(
        async () => proxy!.acceptedConnections >= REFUSED_ATTEMPTS,
        25_000,
        `${REFUSED_ATTEMPTS} refused connection attempts`,
      ),
      starting.then(() => {
        throw new Error('the instance reported ready while Postgres refused every connection');
      }),
    ]);
    proxy.restore();
    app = await starting;

    expect(app.output()).toMatch(/Unable to connect to the database\. Retrying \(4\)/);
    expect(await fetch(`${app.url}/api/health`).then((response) => response.status)).toBe(200);
  }, 60_000);

  it('stops at once, naming the problem, when the database does not exist', async () => {
    const url = new URL(process.env[RUN_DATABASE_URL_VAR]!);
    url.pathname = '/no_such_database_for_startup_test';
    const attempt = startBuiltApp({ DATABASE_URL: url.toString() });
    await expect(attempt).rejects.toThrow(/database "no_such_database_for_startup_test" does not exist/);
    await expect(attempt).rejects.not.toThrow(/Retrying/);
  });
});
