/** Writes docs/access-matrix.md from the local server's allow-list (server/clinic/http/access.ts). */
import fs from 'node:fs';
import path from 'node:path';
import { renderAccessMatrix } from '../server/clinic/http/access.ts';
import { ROOT_DIR } from '../server/clinic/paths.ts';

fs.writeFileSync(path.join(ROOT_DIR, 'docs/access-matrix.md'), renderAccessMatrix());
console.log('docs/access-matrix.md written');
