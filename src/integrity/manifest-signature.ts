import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { usageError } from '../errors.js';

/**
 * Detached Ed25519 signatures over the exact bytes of MANIFEST.sha256. The .sig
 * file is one line of base64 (the 64-byte raw signature), so it diffs cleanly in
 * git and `base64 -d MANIFEST.sha256.sig > sig.bin && openssl pkeyutl -verify
 * -pubin -inkey pub.pem -rawin -in MANIFEST.sha256 -sigfile sig.bin` agrees.
 */

export type SignatureCheck =
  { status: 'verified'; keyId: string } | { status: 'invalid' | 'malformed'; keyId: string; message: string };

export function loadPrivateKey(pem: string | Buffer, source: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch (error) {
    throw usageError(`${source} is not a PEM private key: ${(error as Error).message}`, {
      hint: 'Create one with `smx keys gen-signing-key --out ed25519.pem`.',
    });
  }
  requireEd25519(key, source);
  return key;
}

export function loadPublicKey(pem: string | Buffer, source: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (error) {
    throw usageError(`${source} is not a PEM public key: ${(error as Error).message}`, {
      hint: 'Use the .pub.pem written by `smx keys gen-signing-key`.',
    });
  }
  requireEd25519(key, source);
  return key;
}

/** A short, stable name for a key: the first 16 hex digits of SHA-256 over its public DER. */
export function keyId(key: KeyObject): string {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

export function signManifestBytes(manifest: Buffer, privateKey: KeyObject): string {
  return sign(null, manifest, privateKey).toString('base64') + '\n';
}

export function verifyManifestBytes(manifest: Buffer, signatureText: string, publicKey: KeyObject): SignatureCheck {
  const id = keyId(publicKey);
  const trimmed = signatureText.trim();
  if (!/^[A-Za-z0-9+/]{86}==$/.test(trimmed)) {
    return { status: 'malformed', keyId: id, message: 'signature file is not one base64 Ed25519 signature (64 bytes)' };
  }
  const ok = verify(null, manifest, publicKey, Buffer.from(trimmed, 'base64'));
  return ok
    ? { status: 'verified', keyId: id }
    : { status: 'invalid', keyId: id, message: `signature does not match the manifest for public key ${id}` };
}

export function generateSigningKeyPair(): { privatePem: string; publicPem: string; keyId: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    keyId: keyId(publicKey),
  };
}

function requireEd25519(key: KeyObject, source: string): void {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw usageError(
      `${source} is a ${key.asymmetricKeyType ?? 'symmetric'} key; manifests are signed with Ed25519 only.`,
    );
  }
}
