// Work that outlives the turn that started it (delivery after a run starts). Tracked, so that a
// graceful stop can wait for it and tests can await it.
export class BackgroundTasks {
  private readonly running = new Set<Promise<unknown>>();

  run(task: Promise<unknown>): void {
    const tracked = task.finally(() => this.running.delete(tracked));
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
