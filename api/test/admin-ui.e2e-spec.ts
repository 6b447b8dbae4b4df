import { io } from 'socket.io-client';

import { TestApp, startTestApp } from './support/test-app';
import { rawRequest } from './support/users';

function connectAdmin(url: string, auth?: object): Promise<'connected' | string> {
  const socket = io(`${url}/admin`, { auth, transports: ['websocket'], reconnection: false });
  return new Promise((resolve) => {
    socket.once('connect', () => {
      socket.close();
      resolve('connected');
    });
    socket.once('connect_error', (error) => {
      socket.close();
      resolve(error.message);
    });
  });
}

describe('Socket.IO Admin UI', () => {
  it('is off by default: no /admin namespace, no UI', async () => {
    const app = await startTestApp();
    try {
      expect(await connectAdmin(app.url, { username: 'ops', password: 'whatever' })).toBe(
        'Invalid namespace',
      );
      expect((await rawRequest(app.url, 'GET', '/admin-ui/')).status).toBe(404);
    } finally {
      await app.close();
    }
  });

  describe('when enabled', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await startTestApp({
        ADMIN_UI_ENABLED: 'true',
        ADMIN_UI_USERNAME: 'ops',
        ADMIN_UI_PASSWORD: 'a long operator secret',
      });
    });
    afterAll(() => app.close());

    it('serves the bundled UI', async () => {
      const page = await rawRequest(app.url, 'GET', '/admin-ui/');
      expect(page.status).toBe(200);
      expect(page.body).toMatch(/<html/i);
    });

    it('admits only the configured credentials', async () => {
      expect(await connectAdmin(app.url)).not.toBe('connected');
      expect(await connectAdmin(app.url, { username: 'ops', password: 'wrong password here' })).not.toBe(
        'connected',
      );
      expect(await connectAdmin(app.url, { username: 'ops', password: 'a long operator secret' })).toBe(
        'connected',
      );
    });
  });
});
