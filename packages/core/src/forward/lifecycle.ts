// dispose() the same way on every backend: calls made before dispose() finish (their weights are freed
// when the last one settles); calls made after it reject with one BackendError.
import { BackendError } from '../errors.js';

export class ModelLifecycle {
  private inFlight = 0;
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
    try {
      this.check();
    } catch (e) {
      return Promise.reject(e);
    }
    this.inFlight++;
    return (async () => {
      try {
        return await f();
      } finally {
        this.inFlight--;
        if (this.disposed && this.inFlight === 0) this.release();
      }
    })();
  }

  dispose(): void {
    this.disposed = true;
    if (this.inFlight === 0) this.release();
  }

  private release(): void {
    if (this.freed) return;
    this.freed = true;
    this.free();
  }
}
