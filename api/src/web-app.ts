import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import expressStaticGzip from 'express-static-gzip';
import { existsSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { basename, join } from 'node:path';

const NOT_THE_WEB_APP = /^\/(api|socket\.io|metrics)(\/|$)/;

/** Angular's output hashing names a file after its content (`chunk-S5RHOMHB.js`): it never changes in place. */
const CONTENT_HASHED = /-[A-Z0-9]{8}\.[a-z0-9]+$/;
const PRECOMPRESSED = /\.(br|gz)$/;

/** Hashed files are cached for a year and never revalidated; anything else (index.html, favicon) is revalidated. */
export function webAppCacheControl(file: string): string {
  return CONTENT_HASHED.test(basename(file).replace(PRECOMPRESSED, ''))
    ? 'public, max-age=31536000, immutable'
    : 'no-cache';
}

/**
 * Serves the built Angular app at / (static files, and index.html for its client-side routes), each
 * file as the brotli or gzip copy the build wrote beside it when the browser accepts one.
 * Hand-rolled routing rather than @nestjs/serve-static, whose error middleware answers every error on
 * an excluded path with 404 — a malformed JSON body sent to /api would come back as "not found".
 */
export function serveWebApp(app: NestExpressApplication, directory: string): void {
  if (!existsSync(join(directory, 'index.html'))) return;
  const files = expressStaticGzip(directory, {
    enableBrotli: true,
    orderPreference: ['br', 'gz'],
    index: false,
    serveStatic: {
      index: false,
      cacheControl: false,
      setHeaders: (response: ServerResponse, file: string) => {
        response.setHeader('Cache-Control', webAppCacheControl(file));
      },
    },
  }) as (request: Request, response: Response, next: NextFunction) => void;
  app.use(files);
  app.use((request: Request, response: Response, next: NextFunction) => {
    if (request.method !== 'GET' || NOT_THE_WEB_APP.test(request.path) || !request.accepts('html'))
      return next();
    const url = request.url;
    request.url = '/index.html';
    files(request, response, (error?: unknown) => {
      request.url = url;
      next(error);
    });
  });
}
