/**
 * "Copy" next to a Multibanco entity, reference or amount: writes `value` to the clipboard and shows
 * "Copied" for two seconds (icon and text, not colour alone), announced in a polite live region. Where
 * the clipboard is unavailable (an old browser, an insecure context) it says so; the value stays
 * selectable beside the button.
 */
import { useEffect, useState } from 'react';
import { usePortalT } from '../i18n.ts';

interface Props {
  /** What is copied (e.g. '123456789'). */
  value: string;
  /** What it is ('Referência'), for the button's name and the announcement. */
  label: string;
  testId?: string;
}

const SHOWN_MS = 2000;

/** Renders the button and its live region. */
export function CopyButton({ value, label, testId }: Props) {
  const { t } = usePortalT();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');

  useEffect(() => {
    if (state !== 'copied') return;
    const timer = setTimeout(() => setState('idle'), SHOWN_MS);
    return () => clearTimeout(timer);
  }, [state]);

  const copy = () => {
    const clipboard = typeof navigator === 'undefined' ? undefined : navigator.clipboard;
    if (!clipboard) {
      setState('failed');
      return;
    }
    clipboard.writeText(value).then(
      () => setState('copied'),
      () => setState('failed'),
    );
  };

  const copied = state === 'copied';
  return (
    <span className="p-copy">
      <button
        type="button"
        className={`p-btn p-btn--small p-copy__button${copied ? ' is-copied' : ''}`}
        onClick={copy}
        data-testid={testId}
        data-state={state}
      >
        {copied ? (
          <span aria-hidden="true">✓</span>
        ) : (
          // Two overlapping sheets; drawn, because '⧉' is missing from common phone fonts.
          <svg
            aria-hidden="true"
            width="14"
            height="14"
            viewBox="0 0 16 16"
            fill="none"
            stroke="currentColor"
            strokeWidth="1.6"
          >
            <rect x="5" y="5" width="9" height="9" rx="1.5" />
            <path d="M11 5V3.5A1.5 1.5 0 0 0 9.5 2h-6A1.5 1.5 0 0 0 2 3.5v6A1.5 1.5 0 0 0 3.5 11H5" />
          </svg>
        )}
        {copied ? t('pay.copied') : t('pay.copy')}
        <span className="visually-hidden"> {label}</span>
      </button>
      <span className="visually-hidden" role="status">
        {copied ? t('pay.copiedAnnounce', { what: label }) : ''}
      </span>
      {state === 'failed' && (
        <span className="p-copy__failed" role="alert">
          {t('pay.copyFailed')}
        </span>
      )}
    </span>
  );
}
