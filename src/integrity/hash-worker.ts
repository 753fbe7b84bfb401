import { parentPort } from 'node:worker_threads';
import { hashFile, HashFileError, type HashAlgorithm } from './hash-file.js';

/** Worker side of hash-pool.ts: hashes one file per message, answers with the digest or the reason it could not. */
export interface HashRequest {
  id: number;
  path: string;
  algorithm: HashAlgorithm;
}
export type HashResponse =
  | { id: number; digest: string; size: number }
  | { id: number; failure: { reason: HashFileError['reason'] | 'error'; message: string } };

parentPort?.on('message', (request: HashRequest) => {
  hashFile(request.path, request.algorithm).then(
    ({ digest, size }) => parentPort!.postMessage({ id: request.id, digest, size } satisfies HashResponse),
    (error: unknown) => {
      const reason = error instanceof HashFileError ? error.reason : 'error';
      const message = error instanceof Error ? error.message : String(error);
      parentPort!.postMessage({ id: request.id, failure: { reason, message } } satisfies HashResponse);
    },
  );
});
