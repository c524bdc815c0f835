import { Worker } from 'node:worker_threads';
import type { WriteLock } from './write-lock.js';

/**
 * Writes applied by another thread with its own connection (SQLite): batches of one statement, each batch its own
 * transaction, taken in turn with every other writer of the process. A long bulk job (re-evaluating a million hits)
 * then reads and computes on the main thread while its previous batch is written on the second core.
 */
export interface BackgroundWriter {
  /** Runs `text` once per parameter list in one transaction; answers the positions of the lists that changed no row. */
  run(text: string, lists: readonly (readonly unknown[])[]): Promise<number[]>;
  close(): Promise<void>;
}

export function openBackgroundWriter(path: string, lock: WriteLock): BackgroundWriter {
  const worker = new Worker(new URL('./sqlite-writer-thread.mjs', import.meta.url), {
    workerData: { path },
    // It holds one batch of parameters at a time: a small heap keeps the process's memory flat.
    resourceLimits: { maxOldGenerationSizeMb: 64 },
  });
  const waiting = new Map<number, { resolve(unchanged: number[]): void; reject(e: Error): void }>();
  let next = 0;
  let failed: Error | null = null;
  const failAll = (e: Error) => {
    failed ??= e;
    for (const w of waiting.values()) w.reject(e);
    waiting.clear();
  };
  worker.on('message', (m: { id: number; unchanged?: number[]; error?: { message: string; code?: string } }) => {
    const w = waiting.get(m.id);
    waiting.delete(m.id);
    if (!w) return;
    if (m.error) w.reject(Object.assign(new Error(m.error.message), { code: m.error.code }));
    else w.resolve(m.unchanged!);
  });
  worker.on('error', failAll);
  worker.on('exit', () => failAll(new Error('the background writer stopped')));
  return {
    run: (text, lists) => lock.run(() => new Promise<number[]>((resolve, reject) => {
      if (failed) { reject(failed); return; }
      const id = next++;
      waiting.set(id, { resolve, reject });
      worker.postMessage({ id, text, lists });
    })),
    // Asked to stop after what it was sent, so no transaction is cut off half-way.
    close: () => new Promise<void>((resolve) => { worker.once('exit', () => resolve()); worker.postMessage({ close: true }); }),
  };
}
