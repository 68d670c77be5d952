// At most `limit` holders at once; the others wait in order (the database connections the data queues
// may hold together, so the control queue and the outbox always find one free in the pool).
export class Semaphore {
  private held = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  async acquire(): Promise<() => void> {
    if (this.held >= this.limit) await new Promise<void>((r) => this.waiting.push(r));
    else this.held++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next)
        next(); // the slot passes straight to the next waiter
      else this.held--;
    };
  }

  get inUse(): number {
    return this.held;
  }

  get queued(): number {
    return this.waiting.length;
  }
}
