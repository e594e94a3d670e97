/**
 * Where the central API finds the repository's files. This module sits two folders below the repository
 * root both from source (`server/central/paths.ts`) and in the esbuild bundle (a bundle two folders down), so one
 * relative path serves both.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute path of the repository (or installed app) root. */
export const ROOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
