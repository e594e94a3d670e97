/**
 * On-screen keypad for the booking code (touch kiosks often have no keyboard). Only the characters
 * booking codes use (no 0/O, 1/I/L): 31 keys + delete fill four rows of eight. Keys do not take focus, so the input keeps its caret.
 */
import type { MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';

const KEYS = '23456789ABCDEFGHJKMNPQRSTUVWXYZ'.split('');
const keepFocus = (e: MouseEvent) => e.preventDefault();

interface Props {
  onKey(key: string): void;
  onDelete(): void;
}

/** Renders the keypad; `onKey` gets the pressed character, `onDelete` fires on ⌫. */
export function CodeKeypad({ onKey, onDelete }: Props) {
  const { t } = useTranslation();
  return (
    <div className="keypad" role="group" aria-label={t('kiosk.code.keypad')}>
      {KEYS.map((k) => (
        <button
          key={k}
          type="button"
          className="keypad__key"
          onMouseDown={keepFocus}
          onClick={() => onKey(k)}
        >
          {k}
        </button>
      ))}
      <button
        type="button"
        className="keypad__key"
        onMouseDown={keepFocus}
        onClick={onDelete}
        aria-label={t('kiosk.code.delete')}
      >
        ⌫
      </button>
    </div>
  );
}
