/**
 * A message box: errors are announced at once (`role="alert"`), information politely (`role="status"`).
 * Colour is never the only cue: each kind has its icon and text.
 */
import type { ReactNode } from 'react';

interface Props {
  kind: 'error' | 'info' | 'warning';
  children: ReactNode;
  id?: string;
  testId?: string;
}

const ICONS = { error: '!', info: '✓', warning: 'i' } as const;

/** Renders the message with its live-region role. */
export function Alert({ kind, children, id, testId }: Props) {
  return (
    <div
      id={id}
      className={`p-alert p-alert--${kind}`}
      role={kind === 'error' ? 'alert' : 'status'}
      data-testid={testId ?? `alert-${kind}`}
    >
      <span className="p-alert__icon" aria-hidden="true">
        {ICONS[kind]}
      </span>
      <div className="p-alert__body">{children}</div>
    </div>
  );
}
