// ESLint rule `boundaries/allowed-imports`: the runtime boundaries of CONVENTIONS.md §1, by folder.
// Each file belongs to a zone by its path; an import of our own code (a relative path, resolved against
// the importing file) must land in a zone that the importing zone may use. Packages are left to
// `no-restricted-imports` (Node built-ins, electron, better-sqlite3…).
//
//   server/domain/   pure rules and contracts: imports nothing of ours outside server/domain
//   server/http/     Hono plumbing both servers share (error answers, validation): domain only
//   server/clinic/   the clinic's local server: domain, http, and never server/central
//   server/central/  the central API: domain, http, and never server/clinic
//   (tests and `testing/` helpers in these may also use tests/, the shared test support)
//   renderer/        the pages: renderer, domain, and only types from the servers' app.ts (route types)
//                    and from electron/shared/ipc-contract.ts (the preload's window.cfd)
//   electron/        main and preload: electron, domain; never a server's internals
import path from 'node:path';

/** Zone of a repository-relative path (forward slashes), or null when no rule applies. */
export function zoneOf(rel) {
  for (const zone of [
    'server/domain',
    'server/http',
    'server/clinic',
    'server/central',
    'renderer',
    'electron',
  ]) {
    if (rel === zone || rel.startsWith(zone + '/')) return zone;
  }
  return rel.startsWith('server/') ? 'server/other' : null;
}

/**
 * The servers' exported route types, and the Electron IPC contract (`window.cfd`'s type): the only
 * modules outside renderer/ and server/domain the pages may import, types only.
 */
const ROUTE_TYPE_MODULES = new Set([
  'server/clinic/app.ts',
  'server/central/app.ts',
  'electron/shared/ipc-contract.ts',
]);

const RULES = {
  'server/domain': {
    allow: ['server/domain'],
    why: 'server/domain is pure: it imports nothing of ours outside it',
  },
  'server/http': {
    allow: ['server/http', 'server/domain'],
    why: 'server/http is shared plumbing: domain only',
  },
  'server/clinic': {
    allow: ['server/clinic', 'server/domain', 'server/http'],
    why: 'server/clinic may use server/domain but never server/central (they meet in domain contracts)',
  },
  'server/central': {
    allow: ['server/central', 'server/domain', 'server/http'],
    why: 'server/central may use server/domain but never server/clinic (they meet in domain contracts)',
  },
  renderer: {
    allow: ['renderer', 'server/domain'],
    types: ROUTE_TYPE_MODULES,
    why: "renderer/ may import server/domain and only the types of the servers' app.ts (AppType) and of electron/shared/ipc-contract.ts",
  },
  electron: {
    allow: ['electron', 'server/domain'],
    why: "electron/ may import server/domain contracts, never a server's internals",
  },
};

function isTypeOnly(node) {
  if (node.importKind === 'type' || node.exportKind === 'type') return true;
  const specifiers = node.specifiers ?? [];
  return specifiers.length > 0 && specifiers.every((s) => s.importKind === 'type' || s.exportKind === 'type');
}

export default {
  meta: {
    type: 'problem',
    docs: {
      description: 'Enforce the runtime boundaries between domain, clinic, central, renderer and electron.',
    },
    schema: [],
    messages: { forbidden: "'{{spec}}' ({{target}}) is out of bounds: {{why}}." },
  },
  create(context) {
    const root = context.cwd;
    const file = path.relative(root, context.filename).split(path.sep).join('/');
    const zone = zoneOf(file);
    const rule = RULES[zone];
    if (!rule) return {};
    // Tests and their helpers (`*.test.ts`, `testing/`) may also use the shared test support in tests/.
    const isTest = /\.test\.tsx?$/.test(file) || file.includes('/testing/');
    const allow = isTest ? [...rule.allow, 'tests'] : rule.allow;
    const check = (node, source) => {
      const spec = source?.value;
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const target = path
        .relative(root, path.resolve(path.dirname(context.filename), spec))
        .split(path.sep)
        .join('/');
      const targetZone = zoneOf(target) ?? target.split('/')[0];
      if (allow.includes(targetZone)) return;
      if (rule.types?.has(target) && isTypeOnly(node)) return;
      context.report({ node: source, messageId: 'forbidden', data: { spec, target, why: rule.why } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
    };
  },
};
