/**
 * The GPUs one worker process runs trials on. Each PipeExec leases a free GPU for its whole run, so with
 * as many concurrent activities as GPUs every trial has a GPU of its own. (One Temporal worker per
 * queue and process: the SDK refuses a second worker on the same queue in the same process.)
 */
export class GpuPool {
  private readonly free: number[];

  constructor(readonly gpus: readonly number[]) {
    if (gpus.length === 0) throw new Error('a GPU worker needs at least one GPU');
    this.free = [...gpus];
  }

  /** Run `fn` on a leased GPU; the worker's concurrency equals the pool size, so one is always free. */
  async withGpu<T>(fn: (gpu: number) => Promise<T>): Promise<T> {
    const gpu = this.free.shift();
    if (gpu === undefined) throw new Error(`all GPUs of this worker (${this.gpus.join(',')}) are busy`);
    try {
      return await fn(gpu);
    } finally {
      this.free.push(gpu);
    }
  }
}
