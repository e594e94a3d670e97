/**
 * Worker-thread host for the face engine (CONVENTIONS: inference off the HTTP thread).
 * Protocol (see `client.ts`): parent posts `{ id, image: Uint8Array, options }`; worker answers
 * `{ id, ok: true, result }` or `{ id, ok: false, error: { code, message } }`. On start it posts
 * `{ ready: true, info }` or `{ ready: false, error }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createFaceEngine, ImageDecodeError, ImageTooLargeError, type AnalyzeOptions } from './engine.ts';

interface Request {
  id: number;
  image: Uint8Array;
  options: AnalyzeOptions;
}

const port = parentPort;
if (!port) throw new Error('face worker must run in a worker thread');

try {
  const engine = await createFaceEngine((workerData as { modelsDir: string }).modelsDir);
  port.postMessage({ ready: true, info: engine.info });
  port.on('message', (req: Request) => {
    engine.analyze(req.image, req.options).then(
      (result) => port.postMessage({ id: req.id, ok: true, result }),
      (err: Error) =>
        port.postMessage({
          id: req.id,
          ok: false,
          error: {
            code:
              err instanceof ImageTooLargeError
                ? 'image_too_large'
                : err instanceof ImageDecodeError
                  ? 'image_invalid'
                  : 'face_engine_failed',
            message: err.message,
          },
        }),
    );
  });
} catch (err) {
  port.postMessage({ ready: false, error: (err as Error).message });
}
