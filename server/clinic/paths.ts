/**
 * Where the clinic server finds the repository's files. This module sits two folders below the repository
 * root both from source (`server/clinic/paths.ts`) and in the esbuild bundle (`dist/clinic/*.mjs`), so one
 * relative path serves both.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the repository (or installed app) root. */
export const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
