/** How often one user's typing state in one room may be broadcast. */
export const TYPING_BROADCAST_INTERVAL_MS = 2_000;

type Broadcast = (isTyping: boolean) => void;

interface Signal {
  /** The state last broadcast. */
  sent: boolean;
  /** The latest state received since, if any, and how to broadcast it. */
  latest: { isTyping: boolean; broadcast: Broadcast } | undefined;
}

/**
 * Typing signals are coalesced, not refused: per user and room (on this instance), the first
 * signal is broadcast at once, later ones within the interval only update the state, and at the
 * end of the interval the latest state is broadcast if it differs from the one sent. A client
 * sending hundreds of signals a second costs its room one broadcast per interval, and a "stopped
 * typing" is never lost.
 */
export class TypingCoalescer {
  private readonly signals = new Map<string, Signal>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly intervalMs = TYPING_BROADCAST_INTERVAL_MS) {}

  /** `key` names the user and room. */
  signal(key: string, isTyping: boolean, broadcast: Broadcast): void {
    const signal = this.signals.get(key);
    if (signal) signal.latest = { isTyping, broadcast };
    else this.send(key, isTyping, broadcast);
  }

  /** Drops pending signals (at shutdown). */
  clear(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.signals.clear();
  }

  private send(key: string, isTyping: boolean, broadcast: Broadcast): void {
    broadcast(isTyping);
    this.signals.set(key, { sent: isTyping, latest: undefined });
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.endInterval(key);
    }, this.intervalMs);
    timer.unref();
    this.timers.add(timer);
  }

  private endInterval(key: string): void {
    const signal = this.signals.get(key);
    this.signals.delete(key);
    const latest = signal?.latest;
    if (latest && latest.isTyping !== signal.sent) this.send(key, latest.isTyping, latest.broadcast);
  }
}
