/** Loading signing keys at the CLI edge (files and environment variables); never printed. */
import { createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../../errors.js';
import type { SigningKey } from './format.js';
import type { NdjsonFileConfig } from './config.js';

const fingerprint = (bytes: Buffer | string): string => `k${createHash('sha256').update(bytes).digest('hex').slice(0, 8)}`;

/** The digest signing key for writing: an Ed25519 private key file, or an HMAC key in an env var. */
export function loadSigningKey(
  opts: { signKeyFile?: string; signHmacKeyEnv?: string; signKeyId?: string },
  env: NodeJS.ProcessEnv,
  forVerify = false,
): SigningKey | undefined {
  const file = opts.signKeyFile;
  const envName = opts.signHmacKeyEnv;
  if (file && envName)
    throw new ConfigError([
      { path: forVerify ? '--public-key' : '--sign-key-file', message: 'use either an Ed25519 key file or an HMAC key, not both' },
    ]);
  if (file) {
    let pem: string;
    try {
      pem = readFileSync(file, 'utf8');
    } catch (e) {
      throw new ConfigError([
        {
          path: forVerify ? '--public-key' : '--sign-key-file',
          message: `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? 'error'}`,
        },
      ]);
    }
    try {
      const key = forVerify ? createPublicKey(pem) : createPrivateKey(pem);
      if (key.asymmetricKeyType !== 'ed25519') throw new Error(`an ${key.asymmetricKeyType ?? 'unknown'} key`);
      const pub = forVerify ? key : createPublicKey(key);
      return { algorithm: 'ed25519', keyId: opts.signKeyId ?? fingerprint(pub.export({ type: 'spki', format: 'der' })), key };
    } catch (e) {
      // The message names the file, never its content.
      throw new ConfigError([
        {
          path: forVerify ? '--public-key' : '--sign-key-file',
          message: `${file} is not an Ed25519 ${forVerify ? 'public or private' : 'private'} key in PEM (${(e as Error).message.split('\n')[0]})`,
        },
      ]);
    }
  }
  if (envName) {
    const key = env[envName];
    if (!key)
      throw new ConfigError([
        { path: forVerify ? '--hmac-key-env' : '--sign-hmac-key-env', message: `environment variable ${envName} is not set or empty` },
      ]);
    return { algorithm: 'hmac-sha256', keyId: opts.signKeyId ?? fingerprint(key), key };
  }
  return undefined;
}

/** The digest signing key of a configuration (the HMAC key is the value itself, substituted at the edge). */
export function signingKeyOf(c: Pick<NdjsonFileConfig, 'sign_key_file' | 'sign_hmac_key' | 'sign_key_id'>): SigningKey | undefined {
  return loadSigningKey(
    {
      ...(c.sign_key_file ? { signKeyFile: c.sign_key_file } : {}),
      ...(c.sign_hmac_key !== undefined ? { signHmacKeyEnv: 'sign_hmac_key' } : {}),
      ...(c.sign_key_id !== undefined ? { signKeyId: c.sign_key_id } : {}),
    },
    { sign_hmac_key: c.sign_hmac_key },
  );
}
