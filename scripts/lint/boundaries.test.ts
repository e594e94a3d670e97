/**
 * The runtime boundaries are enforced by lint: each case lints a one-line file placed in a zone with the
 * project's own ESLint config (eslint.config.js) and checks whether the boundaries rule (or the package
 * restrictions) fires.
 */
import { ESLint } from 'eslint';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { zoneOf } from './boundaries.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const eslint = new ESLint({ cwd: ROOT });

/** Rule ids that fire for `code` placed at `file` (repository-relative). */
async function violations(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(`/** A module under test. */\n${code}\nexport {};\n`, {
    filePath: path.join(ROOT, file),
  });
  return result!.messages
    .filter((m) => m.ruleId !== '@typescript-eslint/no-unused-vars')
    .map((m) => m.ruleId ?? 'parse');
}

const BOUNDARY = 'boundaries/allowed-imports';

describe('boundaries lint rule', () => {
  it('assigns files to zones by folder', () => {
    expect(zoneOf('server/domain/visit.ts')).toBe('server/domain');
    expect(zoneOf('server/clinic/features/kiosk/service.ts')).toBe('server/clinic');
    expect(zoneOf('server/central/app.ts')).toBe('server/central');
    expect(zoneOf('server/http/errors.ts')).toBe('server/http');
    expect(zoneOf('renderer/desk/main.tsx')).toBe('renderer');
    expect(zoneOf('electron/main/index.ts')).toBe('electron');
    expect(zoneOf('tests/e2e/x.ts')).toBeNull();
  });

  it.each([
    ['server/domain/x.ts', "import { log } from '../clinic/lib/log.ts';"],
    ['server/domain/x.ts', "import type { AppType } from '../central/app.ts';"],
    ['server/clinic/features/x/service.ts', "import { x } from '../../../central/app.ts';"],
    ['server/central/app.ts', "import { createApp } from '../clinic/app.ts';"],
    ['server/central/app.ts', "import type { Db } from '../clinic/db/database.ts';"],
    ['server/http/errors.ts', "import { log } from '../clinic/lib/log.ts';"],
    ['renderer/desk/x.ts', "import { board } from '../../server/clinic/features/appointments/service.ts';"],
    [
      'renderer/desk/x.ts',
      "import type { Board } from '../../server/clinic/features/appointments/service.ts';",
    ],
    ['renderer/desk/x.ts', "import { createApp } from '../../server/clinic/app.ts';"],
    ['renderer/desk/x.ts', "import { startServer } from '../../tests/e2e/support/server.ts';"],
    ['renderer/kiosk/x.ts', "import { ipcContract } from '../../electron/shared/ipc-contract.ts';"],
    ['renderer/kiosk/x.ts', "import type { IpcChannel } from '../../electron/shared/ipc-channels.ts';"],
    ['electron/main/x.ts', "import { parseEnv } from '../../server/clinic/env.ts';"],
    ['electron/main/x.ts', "import type { AppType } from '../../server/clinic/app.ts';"],
    [
      'server/clinic/features/x/service.ts',
      "import { FACES_DIR } from '../../../../tests/e2e/support/faces.ts';",
    ],
  ])('refuses in %s: %s', async (file, code) => {
    expect(await violations(file, code)).toContain(BOUNDARY);
  });

  it.each([
    ['server/domain/x.ts', "import { VISIT_STATUSES } from './visit.ts';"],
    ['server/clinic/features/x/service.ts', "import { AppError } from '../../../domain/errors.ts';"],
    ['server/central/app.ts', "import { nif } from '../domain/nif.ts';"],
    ['server/central/app.ts', "import { notFound } from '../http/errors.ts';"],
    ['renderer/desk/x.ts', "import type { AppType } from '../../server/clinic/app.ts';"],
    ['renderer/kiosk/x.ts', "import type { CfdBridge } from '../../electron/shared/ipc-contract.ts';"],
    ['renderer/desk/x.ts', "import { canTransition } from '../../server/domain/visit.ts';"],
    ['electron/main/x.ts', "import { readyMessage } from '../../server/domain/ready.ts';"],
    [
      'server/clinic/features/x/service.test.ts',
      "import { FACES_DIR } from '../../../../tests/e2e/support/faces.ts';",
    ],
  ])('allows in %s: %s', async (file, code) => {
    expect(await violations(file, code)).toEqual([]);
  });

  it('requires a module docstring and JSDoc on exported functions', async () => {
    const [bare] = await eslint.lintText('export function f(): number {\n  return 1;\n}\n', {
      filePath: path.join(ROOT, 'server/domain/x.ts'),
    });
    expect(bare!.messages.map((m) => m.ruleId)).toEqual(['docs/module-doc', 'jsdoc/require-jsdoc']);
    expect(
      await violations('server/domain/x.ts', '/** One. */\nexport function f(): number {\n  return 1;\n}'),
    ).toEqual([]);
  });

  it('keeps Node, Electron and I/O packages out of the domain and the pages', async () => {
    expect(await violations('server/domain/x.ts', "import fs from 'node:fs';")).toContain(
      'no-restricted-imports',
    );
    expect(await violations('server/domain/x.ts', "import { Hono } from 'hono';")).toContain(
      'no-restricted-imports',
    );
    expect(await violations('server/domain/x.ts', "import { z } from 'zod';")).toEqual([]);
    expect(await violations('renderer/kiosk/x.ts', "import { app } from 'electron';")).toContain(
      'no-restricted-imports',
    );
    expect(await violations('renderer/kiosk/x.ts', "import path from 'node:path';")).toContain(
      'no-restricted-imports',
    );
    expect(await violations('server/clinic/x.ts', "import { app } from 'electron';")).toContain(
      'no-restricted-imports',
    );
  });
});
