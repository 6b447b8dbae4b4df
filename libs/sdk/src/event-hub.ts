/** A minimal typed listener registry: one payload per event, `on` returns its own unsubscribe. */
export class EventHub<Payloads> {
  private readonly handlers = new Map<keyof Payloads, Set<(payload: never) => void>>();

  on<E extends keyof Payloads>(event: E, handler: (payload: Payloads[E]) => void): () => void {
    let set = this.handlers.get(event);
    if (!set) this.handlers.set(event, (set = new Set()));
    set.add(handler);
    return () => {
      set.delete(handler);
    };
  }

  emit<E extends keyof Payloads>(event: E, payload: Payloads[E]): void {
    const set = this.handlers.get(event);
    if (!set) return;
    for (const handler of [...set]) {
      try {
        (handler as (payload: Payloads[E]) => void)(payload);
      } catch (error) {
        // A throwing subscriber must not starve the others or corrupt the SDK's own state;
        // rethrown outside the loop it still surfaces as an uncaught error.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }

  clear(): void {
    this.handlers.clear();
  }
}
