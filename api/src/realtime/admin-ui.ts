import type { NestExpressApplication } from '@nestjs/platform-express';
import { instrument } from '@socket.io/admin-ui';
import { hashSync } from 'bcryptjs';
import { dirname, join } from 'node:path';
import type { Server } from 'socket.io';

/**
 * The Socket.IO Admin UI: sockets, rooms and events of every instance (it aggregates through the
 * adapter). Off unless ADMIN_UI_ENABLED=true; its namespace demands the configured credentials, and
 * it is read-only, so an operator can look but not disconnect or join sockets from it.
 */
export function instrumentAdminUi(
  server: Server,
  credentials: { username: string; password: string },
  instanceId: string,
) {
  instrument(server, {
    namespaceName: '/admin',
    auth: { type: 'basic', username: credentials.username, password: hashSync(credentials.password, 10) },
    mode: 'production',
    readonly: true,
    serverId: instanceId,
  });
}

/** Serves the UI bundled in the package at /admin-ui, so it works without reaching any outside host. */
export function serveAdminUi(app: NestExpressApplication): void {
  const ui = join(dirname(require.resolve('@socket.io/admin-ui/package.json')), 'ui/dist');
  app.useStaticAssets(ui, { prefix: '/admin-ui/' });
}
