// dispose() the same way on every backend: calls made before dispose() finish (their weights are freed
// when the last one settles); calls made after it reject with one BackendError. Calls that change the model
// (resizeTokenEmbeddings, setInputEmbeddings) run exclusively: after the calls already running, before any
// call made after them.
import { BackendError } from '../errors.js';

export class ModelLifecycle {
  /** Calls made and not settled (running, or waiting for an exclusive call). */
  private pending = 0;
  /** Calls running their body. */
  private running = 0;
  /** Exclusive calls made and not settled. */
  private exclusives = 0;
  /** Settles when the last exclusive call made so far has settled. */
  private tail: Promise<void> = Promise.resolve();
  private idle: (() => void)[] = [];
  private disposed = false;
  private freed = false;

  /** `what` names the model in the error ("AlbertForMaskedLM on tfjs"); `free` releases its resources once. */
  constructor(
    private readonly what: string,
    private readonly free: () => void,
  ) {}

  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Throws the disposed error after dispose(). */
  check(): void {
    if (this.disposed)
      throw new BackendError(`${this.what} was disposed: dispose() released its weights; load the model again`);
  }

  /** Runs `f` as one call of the model: refused after dispose(), and keeping the weights alive while it runs. */
  track<T>(f: () => Promise<T>): Promise<T> {
    return this.enter(async () => {
      while (this.exclusives > 0) await this.tail;
      this.running++;
      try {
        return await f();
      } finally {
        this.running--;
        if (this.running === 0) for (const wake of this.idle.splice(0)) wake();
      }
    });
  }

  /**
   * Runs `f` alone: after every call already running has settled, before the calls made after this one
   * (they wait for it). For calls that replace the model's weights.
   */
  exclusive<T>(f: () => Promise<T>): Promise<T> {
    const prev = this.tail;
    let open = () => {};
    const done = new Promise<void>((resolve) => {
      open = resolve;
    });
    return this.enter(async () => {
      this.exclusives++;
      this.tail = done;
      try {
        await prev;
        while (this.running > 0) await new Promise<void>((wake) => this.idle.push(wake));
        return await f();
      } finally {
        this.exclusives--;
        open();
      }
    });
  }

  dispose(): void {
    this.disposed = true;
    if (this.pending === 0) this.release();
  }

  private enter<T>(f: () => Promise<T>): Promise<T> {
    try {
      this.check();
    } catch (e) {
      return Promise.reject(e);
    }
    this.pending++;
    return (async () => {
      try {
        return await f();
      } finally {
        this.pending--;
        if (this.disposed && this.pending === 0) this.release();
      }
    })();
  }

  private release(): void {
    if (this.freed) return;
    this.freed = true;
    this.free();
  }
}
