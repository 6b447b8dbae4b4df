import { BrowserContext, Page } from 'playwright-core';

/** What the page's Notification constructor was called with (see `recordNotifications`). */
export interface ShownNotification {
  title: string;
  body: string;
}

/**
 * Lets a test hide the tab: headless Chromium reports every page visible and has no way to send one
 * to the background, so `document.visibilityState` is made to answer what `setTabHidden` last said
 * (the app's own `visibilitychange` listeners then run as in a real background tab).
 */
export async function allowTabHiding(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const state = { hidden: false };
    (window as unknown as { __tab: typeof state }).__tab = state;
    Object.defineProperty(document, 'visibilityState', { get: () => (state.hidden ? 'hidden' : 'visible') });
    Object.defineProperty(document, 'hidden', { get: () => state.hidden });
  });
}

export async function setTabHidden(page: Page, hidden: boolean): Promise<void> {
  await page.evaluate((value) => {
    (window as unknown as { __tab: { hidden: boolean } }).__tab.hidden = value;
    document.dispatchEvent(new Event('visibilitychange'));
  }, hidden);
}

/**
 * Keeps every notification the page raises (the real Notification still shows it), so a test can
 * read what the user was told and click it. Permission stays the browser's: grant it on the context.
 */
export async function recordNotifications(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const Real = window.Notification;
    const shown: Notification[] = [];
    const asked = { count: 0 };
    class Recorded extends Real {
      constructor(title: string, options?: NotificationOptions) {
        super(title, options);
        shown.push(this);
      }
    }
    Object.defineProperty(Recorded, 'permission', { get: () => Real.permission });
    Object.defineProperty(Recorded, 'requestPermission', {
      value: () => {
        asked.count++;
        return Real.requestPermission();
      },
    });
    Object.assign(window, { Notification: Recorded, __notifications: shown, __permissionAsked: asked });
  });
}

export function notificationsShown(page: Page): Promise<ShownNotification[]> {
  return page.evaluate(() =>
    (window as unknown as { __notifications: Notification[] }).__notifications.map((notification) => ({
      title: notification.title,
      body: notification.body,
    })),
  );
}

/** How often the page asked for the permission to notify. */
export function permissionRequests(page: Page): Promise<number> {
  return page.evaluate(
    () => (window as unknown as { __permissionAsked: { count: number } }).__permissionAsked.count,
  );
}

/** Clicks the notification at `index` as the user would in the system tray. */
export async function clickNotification(page: Page, index: number): Promise<void> {
  await page.evaluate((at) => {
    const notification = (window as unknown as { __notifications: Notification[] }).__notifications[at];
    notification.dispatchEvent(new Event('click'));
  }, index);
}
