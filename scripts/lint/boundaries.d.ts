/** Types of scripts/lint/boundaries.js (plain JS, so eslint.config.js can load it without a compiler). */
import type { Rule } from 'eslint';

/** Zone of a repository-relative path ('server/domain', 'server/clinic', …), or null when no rule applies. */
export function zoneOf(rel: string): string | null;
declare const rule: Rule.RuleModule;
export default rule;
