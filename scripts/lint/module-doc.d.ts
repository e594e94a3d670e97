/** Types of scripts/lint/module-doc.js (plain JS, so eslint.config.js can load it without a compiler). */
import type { Rule } from 'eslint';

declare const rule: Rule.RuleModule;
export default rule;
