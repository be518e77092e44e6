import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** auditkit's package.json and the directory that holds it (src/model/ in a checkout, dist/src/model/ when built). */
const PACKAGE = ((): { dir: string; version: string } => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'auditkit' && pkg.version) return { dir, version: pkg.version };
    } catch {
      // not here: look one directory up
    }
    const up = path.dirname(dir);
    if (up === dir) return { dir: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..'), version: '0.0.0' };
    dir = up;
  }
})();

/** auditkit's version, from its package.json. */
export const AUDITKIT_VERSION: string = PACKAGE.version;
/** The package's root directory (schemas/, proto/ live there). */
export const PACKAGE_ROOT: string = PACKAGE.dir;
