import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** auditkit's version, from its package.json (src/model/ in a checkout, dist/src/model/ when built). */
export const AUDITKIT_VERSION: string = ((): string => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'auditkit' && pkg.version) return pkg.version;
    } catch {
      // not here: look one directory up
    }
    const up = path.dirname(dir);
    if (up === dir) return '0.0.0';
    dir = up;
  }
})();
