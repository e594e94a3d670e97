/** Request validation with zod, answering in our error shape rather than zod's raw issues. */
import type { ValidationTargets } from 'hono';
import { zValidator } from '@hono/zod-validator';
import type { ZodType } from 'zod';
import { AppError } from '../domain/errors.ts';

/**
 * Validates `target` ('json', 'query', 'param', …) against `schema`; the handler reads the parsed value
 * with `c.req.valid(target)`.
 * @throws AppError validation_failed (400) naming each failing field, `details.issues` = [{ path, message }]
 */
export function validate<Target extends keyof ValidationTargets, T extends ZodType>(
  target: Target,
  schema: T,
) {
  return zValidator(target, schema, (result) => {
    if (!result.success) {
      const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
      throw new AppError(
        'validation_failed',
        issues.map((i) => `${i.path || target}: ${i.message}`).join('; '),
        { issues },
      );
    }
  });
}
