import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Browser, BrowserContext, Locator, Page, chromium } from 'playwright-core';

/** Debian's chromium, never a downloaded one (the machine has no internet). */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const WAIT_MS = 20_000;
export const SCREENSHOT_DIR = resolve(
  process.env.SCREENSHOT_DIR ?? join(__dirname, '../../../dist/screenshots'),
);
export const WEB_DIST_INDEX = resolve(__dirname, '../../../dist/web-angular/browser/index.html');

export function assertWebAppBuilt(): void {
  if (!existsSync(WEB_DIST_INDEX)) {
    throw new Error(`The web app is not built (${WEB_DIST_INDEX} missing): run \`npm run build:web\` first`);
  }
}

export function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install chromium`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * One person using the web app in their own browser context, driven through what they see:
 * labels, button texts and roles (the same things a screen reader relies on).
 */
export class ChatUser {
  readonly errors: string[] = [];

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly username: string,
  ) {
    page.setDefaultTimeout(WAIT_MS);
    page.on('pageerror', (error) => this.errors.push(error.message));
  }

  static async open(
    browser: Browser,
    baseUrl: string,
    username: string,
    viewport = { width: 1200, height: 760 },
  ): Promise<ChatUser> {
    const context = await browser.newContext({ baseURL: baseUrl, viewport });
    const user = new ChatUser(context, await context.newPage(), username);
    await user.page.goto('/');
    return user;
  }

  async register(password = 'correct horse battery staple'): Promise<void> {
    await this.page.getByRole('link', { name: 'Create an account' }).click();
    await this.page.getByLabel('Username').fill(this.username);
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByRole('button', { name: 'Create account' }).click();
    await this.page.getByRole('heading', { name: `Welcome, ${this.username}` }).waitFor();
    await this.waitForState('Online');
  }

  async createRoom(name: string, visibility: 'Public' | 'Private' = 'Public'): Promise<void> {
    await this.page.getByRole('link', { name: 'New room', exact: true }).click();
    await this.page.getByLabel('Room name').fill(name);
    await this.page.getByRole('radio', { name: new RegExp(`^${visibility}`) }).check();
    await this.page.getByRole('button', { name: 'Create room' }).click();
    await this.roomHeading(name).waitFor();
  }

  async joinPublicRoom(name: string, { fromBrowsePage = false } = {}): Promise<void> {
    if (!fromBrowsePage) await this.page.getByRole('link', { name: 'Browse', exact: true }).click();
    await this.page.getByRole('searchbox', { name: 'Search rooms' }).fill(name);
    await this.page.getByRole('button', { name: `Join ${name}` }).click();
    await this.roomHeading(name).waitFor();
  }

  roomHeading(name: string): Locator {
    return this.page.getByRole('heading', { name, exact: true });
  }

  get composer(): Locator {
    return this.page.getByRole('textbox', { name: 'Message', exact: true });
  }

  async showMembers(): Promise<void> {
    const toggle = this.page.getByRole('button', { name: 'Members', exact: true });
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
  }

  async send(text: string): Promise<void> {
    await this.composer.fill(text);
    await this.composer.press('Enter');
  }

  /** Bubbles of stored messages whose body is exactly `text`. */
  messages(text: string): Locator {
    return this.page.getByTestId('message-body').filter({ hasText: new RegExp(`^${escapeRegExp(text)}$`) });
  }

  async waitForMessage(text: string): Promise<Locator> {
    const bubble = this.messages(text);
    await bubble.first().waitFor();
    return bubble;
  }

  async waitForState(label: 'Online' | 'Offline' | 'Reconnecting…' | 'Connecting…'): Promise<void> {
    await this.page.getByTestId('connection-state').filter({ hasText: label }).waitFor();
  }

  async instanceId(): Promise<string> {
    const id = this.page.getByTestId('instance-id');
    await id.waitFor();
    return (await id.textContent())?.trim() ?? '';
  }

  async screenshot(name: string): Promise<void> {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    await this.page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
  }

  close(): Promise<void> {
    return this.context.close();
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
