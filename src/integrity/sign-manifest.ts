import path from 'node:path';
import { inputError } from '../errors.js';
import { HashFileError } from './hash-file.js';
import { manifestName, signatureName } from './manifest-format.js';
import { keyId, loadPrivateKey, signManifestBytes } from './manifest-signature.js';
import { writeFileAtomic } from './atomic-write.js';
import { readRegularFile } from './read-regular-file.js';

export interface SignResult {
  signature: string;
  keyId: string;
  manifestBytes: number;
}

/**
 * Signs models/MANIFEST.sha256 as it is on disk and writes MANIFEST.sha256.sig.
 * It signs what is there, so run `smx validate-hashes` (or --update) first: a
 * signature only vouches for the manifest, the manifest for the files.
 */
export async function signManifest(
  modelsDir: string,
  privateKeyPem: string | Buffer,
  keySource = 'the private key',
): Promise<SignResult> {
  const key = loadPrivateKey(privateKeyPem, keySource);
  const manifestPath = path.join(modelsDir, manifestName);
  let manifest: Buffer | undefined;
  try {
    manifest = await readRegularFile(manifestPath);
  } catch (error) {
    if (error instanceof HashFileError) throw inputError(`${manifestPath} ${error.message}; refusing to sign it.`);
    throw error;
  }
  if (manifest === undefined)
    throw inputError(`${manifestPath} does not exist.`, { hint: 'Create it with `smx validate-hashes --update`.' });
  const signaturePath = path.join(modelsDir, signatureName);
  await writeFileAtomic(signaturePath, signManifestBytes(manifest, key));
  return { signature: signaturePath, keyId: keyId(key), manifestBytes: manifest.length };
}
