/**
 * State shared by the wizard and the settings page: the setup as the server last answered it (reloaded
 * after every change), and a per-step helper that runs one request at a time and keeps its error and the
 * fields it names (`details.issues` of validation_failed, or the same zod contract checked in the page).
 */
import { useCallback, useEffect, useState } from 'react';
import { ApiError, isUnauthorized } from '../../shared/api.ts';
import { useDesk } from '../store.ts';
import { loadSetup, type SetupState } from './setup-api.ts';

/** The setup state, whether the first load failed, and `reload()`. */
export function useSetupState(): {
  state: SetupState | null;
  loadError: unknown;
  reload: () => Promise<void>;
} {
  const [state, setState] = useState<SetupState | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const load = useCallback(
    (isCurrent: () => boolean = () => true) =>
      loadSetup().then(
        (answer) => {
          if (!isCurrent()) return;
          setState(answer);
          setLoadError(null);
        },
        (err: unknown) => {
          if (!isCurrent()) return;
          if (isUnauthorized(err)) useDesk.getState().setUnauthorized();
          setLoadError(err);
        },
      ),
    [],
  );
  const reload = useCallback(() => load(), [load]);
  useEffect(() => {
    let cancelled = false;
    void load(() => !cancelled);
    return () => {
      cancelled = true;
    };
  }, [load]);
  return { state, loadError, reload };
}

/** Field paths (first segment, e.g. 'nif', or 'blocks.1') of a zod or server validation failure. */
export type FieldErrors = Record<string, true>;

/** The fields named by a failure: zod issues or `ApiError.details.issues`. */
export function fieldsOf(issues: readonly { path: readonly PropertyKey[] | string }[]): FieldErrors {
  const out: FieldErrors = {};
  for (const i of issues) {
    const path = typeof i.path === 'string' ? i.path : i.path.map(String).join('.');
    out[path] = true;
    out[path.split('.')[0]!] = true;
  }
  return out;
}

/** One step's request state: `run(fn)` disables the step while it runs and keeps the error. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [fields, setFields] = useState<FieldErrors>({});
  const run = useCallback(async <T>(fn: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    setFields({});
    try {
      return await fn();
    } catch (err) {
      if (isUnauthorized(err)) useDesk.getState().setUnauthorized();
      setError(err);
      const issues =
        err instanceof ApiError ? (err.details?.issues as { path: string }[] | undefined) : undefined;
      if (issues) setFields(fieldsOf(issues));
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  /** Shows a failure found in the page (no request): `code` and the fields it names. */
  const fail = useCallback((code: string, failed: FieldErrors = {}) => {
    setError(code);
    setFields(failed);
  }, []);
  const clear = useCallback(() => {
    setError(null);
    setFields({});
  }, []);
  return { busy, error, fields, run, fail, clear };
}

/** What each step component is given. */
export interface StepProps {
  state: SetupState;
  /** Reloads the state after a change. */
  reload: () => Promise<void>;
  /** The id of the step's form, for the wizard's Next button (form steps). */
  formId: string;
  /** Called after a form step saved (the wizard then moves on; the settings page says "saved"). */
  onSaved: () => void;
  /** 'wizard' labels the form's own button "Next"; 'settings' shows a Save button. */
  mode: 'wizard' | 'settings';
}
