import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const NOT_THE_WEB_APP = /^\/(api|socket\.io|metrics)(\/|$)/;

/**
 * Serves the built Angular app at / (static files, and index.html for its client-side routes).
 * Hand-rolled rather than @nestjs/serve-static, whose error middleware answers every error on an
 * excluded path with 404 — a malformed JSON body sent to /api would come back as "not found".
 */
export function serveWebApp(app: NestExpressApplication, directory: string): void {
  const index = join(directory, 'index.html');
  if (!existsSync(index)) return;
  app.useStaticAssets(directory, { index: false, maxAge: '1h' });
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'GET' || NOT_THE_WEB_APP.test(request.path) || !request.accepts('html'))
      return next();
    response.sendFile(index, { maxAge: 0 });
  });
}
