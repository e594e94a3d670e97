/**
 * Runs the face engine in a worker thread and exposes it as a `FaceEngine` to the server.
 * Requests are answered in order; the worker is single-threaded (WASM backend: one core).
 */
import { Worker } from 'node:worker_threads';
import type { AnalyzeOptions, AnalyzeResult, FaceEngine, FaceEngineInfo } from './engine.ts';

interface Pending {
  resolve: (r: AnalyzeResult) => void;
  reject: (e: Error) => void;
}

/** Error raised by the worker; `code` is `image_invalid` or `face_engine_failed`. */
export class FaceWorkerError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'FaceWorkerError';
  }
}

export interface FaceWorkerEngine extends FaceEngine {
  close(): Promise<void>;
}

function workerUrl(): URL {
  // In the bundle the worker sits beside main as plain JS. From source (tsx, vitest) the worker is
  // TypeScript: a one-line ESM bootstrap registers tsx's loader inside the worker, then imports it
  // (Node 20 does not apply a parent's `--import tsx` to a worker's entry).
  if (!import.meta.url.endsWith('.ts')) return new URL('./face-worker.mjs', import.meta.url);
  const api = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./worker.ts', import.meta.url).href;
  const code = `import { register } from ${JSON.stringify(api)}; register(); await import(${JSON.stringify(entry)});`;
  return new URL('data:text/javascript,' + encodeURIComponent(code));
}

/**
 * Starts the worker and waits until it has verified and loaded the models.
 * @throws Error when the models are missing/altered or the backend fails to start.
 */
export async function startFaceWorker(modelsDir: string): Promise<FaceWorkerEngine> {
  const worker = new Worker(workerUrl(), { workerData: { modelsDir } });
  const pending = new Map<number, Pending>();
  let nextId = 1;

  const info = await new Promise<FaceEngineInfo>((resolve, reject) => {
    const onMessage = (msg: { ready?: boolean; info?: FaceEngineInfo; error?: string }) => {
      if (msg.ready === undefined) return;
      worker.off('message', onMessage);
      if (msg.ready && msg.info) resolve(msg.info);
      else reject(new Error(msg.error ?? 'face worker failed to start'));
    };
    worker.on('message', onMessage);
    worker.once('error', reject);
  });

  worker.on(
    'message',
    (msg: { id: number; ok: boolean; result?: AnalyzeResult; error?: { code: string; message: string } }) => {
      const p = pending.get(msg.id);
      if (!p) return;
      pending.delete(msg.id);
      if (msg.ok && msg.result) p.resolve(msg.result);
      else
        p.reject(
          new FaceWorkerError(
            msg.error?.code ?? 'face_engine_failed',
            msg.error?.message ?? 'face engine failed',
          ),
        );
    },
  );
  const failAll = (err: Error) => {
    for (const p of pending.values()) p.reject(new FaceWorkerError('face_engine_failed', err.message));
    pending.clear();
  };
  worker.on('error', failAll);
  worker.on('exit', (code) => failAll(new Error(`face worker exited with code ${code}`)));

  return {
    info,
    analyze(image: Uint8Array, options: AnalyzeOptions) {
      return new Promise<AnalyzeResult>((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject });
        worker.postMessage({ id, image, options });
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}
