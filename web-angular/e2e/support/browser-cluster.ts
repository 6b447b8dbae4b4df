import { Browser } from 'playwright-core';

import { CLUSTER_START_TIMEOUT_MS, Cluster, startTestCluster } from '../../../api/test/support/cluster';
import { uniqueName } from '../../../api/test/support/users';
import { ChatUser, assertWebAppBuilt, launchBrowser } from './browser';

type Viewport = { width: number; height: number };

/** Built instances behind nginx and one Chromium, shared by the tests of a browser suite. */
export class BrowserCluster {
  private started?: { cluster: Cluster; browser: Browser };
  private readonly users: ChatUser[] = [];

  get cluster(): Cluster {
    if (!this.started) throw new Error('the browser cluster is not started (used outside a test or hook?)');
    return this.started.cluster;
  }

  /** The app for `username` in its own browser context, not signed in; its page errors fail the suite. */
  async open(baseUrl: string, username: string, viewport?: Viewport): Promise<ChatUser> {
    const user = await ChatUser.open(this.started!.browser, baseUrl, username, viewport);
    this.users.push(user);
    return user;
  }

  /** A new person (a unique name starting with `name`) who has registered through the app. */
  async signUp(baseUrl: string, name: string, viewport?: Viewport): Promise<ChatUser> {
    const user = await this.open(baseUrl, uniqueName(name), viewport);
    await user.register();
    return user;
  }

  /** Closes `user`'s browser context, and leaves its page out of the final check. */
  async closeUser(user: ChatUser): Promise<void> {
    await user.close();
    this.users.splice(this.users.indexOf(user), 1);
  }

  async start(adapter: string, env?: Record<string, string>): Promise<void> {
    assertWebAppBuilt();
    const [cluster, browser] = await Promise.all([startTestCluster(2, adapter, env), launchBrowser()]);
    this.started = { cluster, browser };
  }

  async close(): Promise<void> {
    for (const user of this.users) {
      // Uncaught errors in the page are failures even when every step passed.
      expect({ user: user.username, errors: user.errors }).toEqual({ user: user.username, errors: [] });
    }
    await this.started?.browser.close();
    await this.started?.cluster.close();
  }
}

/**
 * Starts 2 instances behind nginx and the browser before the suite's tests, and after them checks
 * that no page it opened threw, and closes it all. Call it in the `describe`.
 */
export function useBrowserCluster(
  options: { adapter?: string; env?: Record<string, string> } = {},
): BrowserCluster {
  const flow = new BrowserCluster();
  beforeAll(() => flow.start(options.adapter ?? 'redis-streams', options.env), CLUSTER_START_TIMEOUT_MS);
  afterAll(() => flow.close(), CLUSTER_START_TIMEOUT_MS);
  return flow;
}
