import { ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';

import { AppModule } from './app.module';
import { HttpExceptionFilter } from './common/http-exception.filter';
import { answerParserErrorsWithContractBody } from './common/http-parser-errors';
import { AppLogger } from './common/logging';
import { useSecurityHeaders } from './common/security-headers';
import { createValidationPipe } from './common/validation';
import { AllConfig } from './config/config.type';
import { serveAdminUi } from './realtime/admin-ui';
import { ClusterIoAdapter } from './realtime/cluster-io.adapter';
import { serveWebApp } from './web-app';

/** Builds the application exactly as production runs it; main.ts and the e2e tests both start here. */
export async function createApp(): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, {
    bufferLogs: true,
    bodyParser: false,
    abortOnError: false,
  });
  const config = app.get<ConfigService<AllConfig, true>>(ConfigService);

  app.useLogger(new AppLogger(app.get(Logger)));
  // First, so that every response has the headers, even a body parser's refusal.
  const adminUi = config.get('app.adminUi', { infer: true }) !== null;
  useSecurityHeaders(app, { adminUi });
  // Small on purpose: the largest legitimate body is a room or a registration, far below this.
  app.useBodyParser('json', { limit: '32kb' });
  // Before the web app, whose fallback would otherwise answer /admin-ui/ with its own index.html.
  if (adminUi) serveAdminUi(app);
  serveWebApp(app, config.get('app.webDistDir', { infer: true }));
  app.setGlobalPrefix('api');
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new HttpExceptionFilter());
  answerParserErrorsWithContractBody(app.getHttpServer());
  app.enableCors({ origin: config.get('app.corsOrigins', { infer: true }), credentials: true });
  app.useWebSocketAdapter(new ClusterIoAdapter(app));
  app.disable('x-powered-by');
  // req.ip is the client's address from X-Forwarded-For only when the peer is a trusted proxy.
  app.set('trust proxy', config.get('app.trustProxy', { infer: true }));

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Chat gateway')
      .setDescription(
        'REST API of the chat gateway. Real-time events go over Socket.IO at /socket.io; their contract is libs/contracts/src/events.ts.',
      )
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}
