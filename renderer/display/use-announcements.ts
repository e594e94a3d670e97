/**
 * Chimes and speaks each new call. A call is new when its (id, calledAt) pair was not on screen before,
 * so a patient recalled later is announced again. Calls already showing when the page (re)loads are
 * not announced.
 */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { DisplayCall } from '../shared/types.ts';
import { chime, speak, unlockAudio } from './announcer.ts';

/** Identity of one call on screen: `<appointment id>@<calledAt>`, so a recall is a new call. */
export const callKey = (c: DisplayCall) => `${c.id}@${c.calledAt}`;

/**
 * Announces calls added to `calls` since the last render (oldest first; one chime, then one utterance each,
 * in the UI language, with the ticket when the label collides with another on screen). `undefined` (not
 * loaded yet) is ignored. Also unlocks audio on the first pointer or key press; the listeners are removed
 * on unmount.
 */
export function useAnnouncements(calls: DisplayCall[] | undefined): void {
  const { t, i18n } = useTranslation();
  const seen = useRef<Set<string> | null>(null);

  useEffect(() => {
    const unlock = () => unlockAudio();
    window.addEventListener('pointerdown', unlock);
    window.addEventListener('keydown', unlock);
    return () => {
      window.removeEventListener('pointerdown', unlock);
      window.removeEventListener('keydown', unlock);
    };
  }, []);

  useEffect(() => {
    if (!calls) return;
    const keys = new Set(calls.map(callKey));
    if (seen.current === null) {
      seen.current = keys;
      return;
    }
    const previous = seen.current;
    // Oldest first, so the newest call is the last one spoken.
    const added = calls.filter((c) => !previous.has(callKey(c))).reverse();
    seen.current = keys;
    if (added.length === 0) return;
    const lang = i18n.language === 'en' ? 'en-GB' : 'pt-PT';
    void chime().then(() => {
      for (const c of added) {
        const text =
          c.showTicket && c.ticket
            ? t('display.speechTicket', { label: c.label, ticket: c.ticket, room: c.roomName })
            : t('display.speech', { label: c.label, room: c.roomName });
        speak(text, lang);
      }
    });
  }, [calls, t, i18n]);
}
