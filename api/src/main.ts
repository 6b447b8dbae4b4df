import { ConfigService } from '@nestjs/config';

import { createApp } from './app.setup';
import { installProcessGuards } from './common/process-guards';
import { AllConfig } from './config/config.type';

/** SIGTERM → drain and close; past this, exit anyway so an orchestrator never waits on us. */
const SHUTDOWN_LIMIT_MS = 10_000;

async function bootstrap(): Promise<void> {
  const app = await createApp();
  const config = app.get<ConfigService<AllConfig, true>>(ConfigService);
  const port = config.get('app.port', { infer: true });

  let stopping = false;
  const shutdown = (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), SHUTDOWN_LIMIT_MS).unref();
    app.close().then(
      () => process.exit(exitCode),
      () => process.exit(1),
    );
  };
  for (const signal of ['SIGTERM', 'SIGINT'] as const) process.once(signal, () => shutdown(0));
  installProcessGuards(shutdown);
  await app.listen(port, config.get('app.host', { infer: true }));
  console.log(
    `Chat gateway ${config.get('app.instanceId', { infer: true })} listening on http://localhost:${port}`,
  );
}

bootstrap().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
