import type { NestExpressApplication } from '@nestjs/platform-express';
import helmet from 'helmet';
import { createHash } from 'node:crypto';

type Directives = Record<string, string[]>;

/**
 * The Angular build inlines the critical CSS and loads the rest with
 * `<link rel="stylesheet" media="print" onload="this.media='all'">`; an inline handler that CSP
 * blocks unless allowed by its hash (`'unsafe-hashes'` admits exactly that text, nothing else).
 */
const ANGULAR_STYLESHEET_LOADER = `'sha256-${createHash('sha256').update("this.media='all'").digest('base64')}'`;

/**
 * For everything the API serves — the web app at /, Swagger UI at /api/docs and JSON: scripts only
 * from this origin, no plugins, no framing, no `<base>` or form targets elsewhere. Styles may be
 * inline: Angular and Swagger UI both write `<style>` elements and `style` attributes at run time.
 * No `upgrade-insecure-requests` (helmet's default): the app is also served over plain HTTP (on a
 * developer's machine, behind a balancer that terminates TLS), where it would break every request.
 */
export const APP_CSP: Directives = {
  'default-src': ["'self'"],
  'base-uri': ["'self'"],
  'connect-src': ["'self'"],
  'font-src': ["'self'", 'data:'],
  'form-action': ["'self'"],
  'frame-ancestors': ["'none'"],
  'img-src': ["'self'", 'data:'],
  'object-src': ["'none'"],
  'script-src': ["'self'"],
  'script-src-attr': ["'unsafe-hashes'", ANGULAR_STYLESHEET_LOADER],
  'style-src': ["'self'", "'unsafe-inline'"],
};

/**
 * The Socket.IO Admin UI (only when enabled) loads its fonts and icons from Google Fonts and
 * jsDelivr, and connects to whichever server URL the operator types in.
 */
export const ADMIN_UI_CSP: Directives = {
  ...APP_CSP,
  'connect-src': ["'self'", 'http:', 'https:', 'ws:', 'wss:'],
  'font-src': ["'self'", 'data:', 'https://fonts.gstatic.com', 'https://cdn.jsdelivr.net'],
  'script-src-attr': ["'none'"],
  'style-src': ["'self'", "'unsafe-inline'", 'https://fonts.googleapis.com', 'https://cdn.jsdelivr.net'],
};

/**
 * helmet's headers on every HTTP response (Socket.IO's own requests never reach Express). Must be
 * installed before the static files and routes so they get the headers too.
 */
export function useSecurityHeaders(app: NestExpressApplication, options: { adminUi: boolean }): void {
  app.use(
    helmet({
      contentSecurityPolicy: { useDefaults: false, directives: APP_CSP },
      frameguard: { action: 'deny' },
    }),
  );
  if (options.adminUi) {
    app.use('/admin-ui', helmet.contentSecurityPolicy({ useDefaults: false, directives: ADMIN_UI_CSP }));
  }
}
