// Work that outlives the turn that started it (delivery after a run starts). Tracked, so that a
// graceful stop can wait for it and tests can await it.
export class BackgroundTasks {
  private readonly running = new Set<Promise<unknown>>();

  /** `onError` hears a task that failed; without it a failure would end the process as an unhandled rejection. */
  constructor(private readonly onError: (err: unknown) => void) {}

  run(task: Promise<unknown>): void {
    const tracked: Promise<unknown> = task
      .catch((err: unknown) => this.onError(err))
      .finally(() => this.running.delete(tracked));
    this.running.add(tracked);
  }

  /** Resolves when everything started so far (and anything it starts) has finished. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  get size(): number {
    return this.running.size;
  }
}
