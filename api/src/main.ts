import { ConfigService } from '@nestjs/config';

import { createApp } from './app.setup';
import { AllConfig } from './config/config.type';

async function bootstrap(): Promise<void> {
  const app = await createApp();
  const config = app.get<ConfigService<AllConfig, true>>(ConfigService);
  const port = config.get('app.port', { infer: true });
  const host = config.get('app.host', { infer: true });
  await app.listen(port, host);
  console.log(`Chat gateway ${config.get('app.instanceId', { infer: true })} listening on http://localhost:${port}`);
}

bootstrap().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
