/**
 * The admin's "Sincronização" / "Sync" section of Configuração (docs/sync.md "Clinic side"): what
 * `GET /api/sync/status` says (paired, central URL, clinic id, online, last successful sync in Lisbon time
 * and "há N min", pending changes and the oldest, the last error in words, why the loop stopped), the
 * recent conflicts when the status carries them, the pairing form (`POST /api/sync/pair { centralUrl?,
 * code }`) and "Renovar credencial" (`POST /api/sync/rotate`) behind a confirmation. Polls the status
 * every 5 s while open and right after a pair or a rotation (renderer/desk/sync-status.ts, shared with the
 * header's indicator).
 *
 * Integration: rendered by renderer/desk/setup/settings-page.tsx (it takes no props).
 */
import { useId, useState, type FormEvent } from 'react';
import {
  PAIRING_CODE_ALPHABET,
  PAIRING_CODE_LENGTH,
  normalisePairingCode,
} from '../../server/domain/sync.ts';
import { api, unwrap } from '../shared/api.ts';
import { formatShortDate, formatTime } from '../shared/format.ts';
import { useNow } from '../shared/use-now.ts';
import {
  refreshSyncStatus,
  usePollSyncStatus,
  useSyncStatus,
  type SyncConflict,
  type SyncStatusView,
} from './sync-status.ts';
import { useSyncText, type SyncText } from './sync-strings.ts';
import './sync-section.css';

/** How often the section re-reads the state while it is open, ms. */
const POLL_MS = 5_000;
/** The same while waiting for the first pass after pairing, ms. */
const FIRST_PASS_POLL_MS = 1_000;

/** '01/12/2026 21:40' in Lisbon time. */
const stamp = (iso: string) => `${formatShortDate(iso)} ${formatTime(iso)}`;

/** "há N min" (or h, days) from `iso` to `now`. */
function ago(sync: SyncText, iso: string, now: Date): string {
  const min = Math.floor((now.getTime() - Date.parse(iso)) / 60_000);
  if (min < 1) return sync.sx('justNow');
  if (min < 60) return sync.sx('minutesAgo', { n: min });
  if (min < 48 * 60) return sync.sx('hoursAgo', { n: Math.floor(min / 60) });
  return sync.sx('daysAgo', { n: Math.floor(min / 1440) });
}

/** The section. */
export function SyncSection() {
  const sync = useSyncText();
  const { sx } = sync;
  const status = useSyncStatus((s) => s.status);
  // Just paired, before the first pass has answered: look again soon rather than in 5 s.
  const firstPass = !!status?.paired && !status.online && !status.lastError && !status.stopped;
  usePollSyncStatus(firstPass ? FIRST_PASS_POLL_MS : POLL_MS);
  const loadError = useSyncStatus((s) => s.failed);
  const [repair, setRepair] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);

  const reload = refreshSyncStatus;

  if (!status)
    return loadError ? (
      <p className="alert alert--error" role="alert">
        {sx('loadFailed')}
      </p>
    ) : (
      <p className="empty" aria-busy="true">
        …
      </p>
    );

  const needsRepair = status.paired && status.stopped === 'sync_credential_invalid';
  const showForm = !status.paired || needsRepair || repair;
  return (
    <div className="sync-section" data-testid="sync-section">
      <p className="muted">{sx('intro')}</p>
      {notice && (
        <p className="alert alert--info" role="status" data-testid="sync-notice">
          {notice}
        </p>
      )}
      <StatusFacts status={status} />
      {status.stopped && (
        <div className="alert alert--error sync-stopped" role="alert" data-testid="sync-stopped">
          <strong>{sx('stoppedTitle')}</strong>
          <span>{sync.strings.stopped[status.stopped]}</span>
        </div>
      )}
      {status.conflicts && status.conflicts.length > 0 && <Conflicts conflicts={status.conflicts} />}
      <div className="sync-actions">
        {showForm ? (
          <PairForm
            defaultUrl={status.centralUrl ?? ''}
            title={status.paired ? sx('repairTitle') : sx('pairTitle')}
            onCancel={status.paired && !needsRepair ? () => setRepair(false) : undefined}
            onPaired={(clinicId) => {
              setRepair(false);
              setNotice(sx('pairedOk', { id: clinicId }));
              void reload();
            }}
          />
        ) : (
          <div className="sync-card">
            <h3 className="sync-card__title">{sx('repairTitle')}</h3>
            <p className="muted">{sx('repairIntro')}</p>
            <div>
              <button
                type="button"
                className="btn"
                data-testid="sync-show-repair"
                onClick={() => {
                  setNotice(null);
                  setRepair(true);
                }}
              >
                {sx('showRepair')}
              </button>
            </div>
          </div>
        )}
        {status.paired && !needsRepair && (
          <RotateCard
            onRotated={() => {
              setNotice(sx('rotatedOk'));
              void reload();
            }}
          />
        )}
      </div>
    </div>
  );
}

/** The state as a list of terms and values. */
function StatusFacts({ status }: { status: SyncStatusView }) {
  const sync = useSyncText();
  const { sx } = sync;
  const now = useNow(30_000);
  const connection = status.stopped
    ? sx('stoppedShort')
    : !status.paired
      ? sx('none')
      : status.online
        ? sx('online')
        : status.lastError
          ? sx('offline')
          : sx('waiting');
  const tone = status.stopped
    ? 'bad'
    : status.paired && status.online
      ? 'ok'
      : status.paired
        ? 'warn'
        : 'off';
  return (
    <dl className="sync-facts" data-testid="sync-facts">
      <div>
        <dt>{sx('paired')}</dt>
        <dd data-testid="sync-paired" data-paired={String(status.paired)}>
          {status.paired ? sx('pairedYes') : sx('pairedNo')}
        </dd>
      </div>
      <div>
        <dt>{sx('connection')}</dt>
        <dd>
          <span className={`sync-dot sync-dot--${tone}`} aria-hidden="true" />
          <span data-testid="sync-connection" data-tone={tone}>
            {connection}
          </span>
        </dd>
      </div>
      <div>
        <dt>{sx('centralUrl')}</dt>
        <dd className="sync-code" data-testid="sync-central-url">
          {status.centralUrl ?? sx('none')}
        </dd>
      </div>
      <div>
        <dt>{sx('clinicId')}</dt>
        <dd className="sync-code" data-testid="sync-clinic-id">
          {status.clinicId ?? sx('none')}
        </dd>
      </div>
      <div>
        <dt>{sx('lastSync')}</dt>
        <dd data-testid="sync-last">
          {status.lastSyncAt ? (
            <>
              <time dateTime={status.lastSyncAt}>{stamp(status.lastSyncAt)}</time> (
              {ago(sync, status.lastSyncAt, now)})
            </>
          ) : (
            sx('never')
          )}
        </dd>
      </div>
      <div>
        <dt>{sx('pending')}</dt>
        <dd data-testid="sync-pending" data-pending={status.pending}>
          {status.pending === 0
            ? sx('pendingNone')
            : sx('pendingCount', {
                n: status.pending,
                when: status.oldestPendingAt
                  ? `${stamp(status.oldestPendingAt)}, ${ago(sync, status.oldestPendingAt, now)}`
                  : sx('none'),
              })}
        </dd>
      </div>
      {status.rejected > 0 && (
        <div>
          <dt>{sx('rejected')}</dt>
          <dd>{sx('rejectedHint', { n: status.rejected })}</dd>
        </div>
      )}
      {status.failures > 0 && (
        <div>
          <dt>{sx('failures')}</dt>
          <dd>{status.failures}</dd>
        </div>
      )}
      <div className="sync-facts__wide">
        <dt>{sx('lastError')}</dt>
        <dd data-testid="sync-last-error" data-code={status.lastError?.code ?? ''}>
          {status.lastError ? (
            <>
              {sync.lastErrorText(status.lastError.code)}{' '}
              <span className="muted">
                (<time dateTime={status.lastError.at}>{stamp(status.lastError.at)}</time>,{' '}
                <span className="sync-code">{status.lastError.code}</span>)
              </span>
            </>
          ) : (
            sx('none')
          )}
        </dd>
      </div>
    </dl>
  );
}

/** The recent conflicts (entity, short id, reason in words, when). */
function Conflicts({ conflicts }: { conflicts: SyncConflict[] }) {
  const sync = useSyncText();
  const { sx } = sync;
  const id = useId();
  return (
    <section className="sync-card" aria-labelledby={`${id}-title`} data-testid="sync-conflicts">
      <h3 id={`${id}-title`} className="sync-card__title">
        {sx('conflictsTitle')}
      </h3>
      <p className="muted">{sx('conflictsIntro')}</p>
      <ul className="sync-conflicts">
        {conflicts.map((c) => (
          <li key={`${c.entity}:${c.entityId}:${c.at}`} data-testid="sync-conflict">
            <span className="sync-conflicts__what">
              {sync.entityText(c.entity)}{' '}
              {/* The id's end: UUIDv7s made in the same minute share their first characters. */}
              <span className="sync-code" title={c.entityId}>
                {c.entityId.slice(-8)}
              </span>
            </span>
            <span>{sync.reasonText(c.reason)}</span>
            <time className="muted" dateTime={c.at}>
              {stamp(c.at)}
            </time>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The pairing form: central's URL (default: the configured one) and the one-time code. */
function PairForm({
  defaultUrl,
  title,
  onCancel,
  onPaired,
}: {
  defaultUrl: string;
  title: string;
  onCancel?: () => void;
  onPaired: (clinicId: string) => void;
}) {
  const sync = useSyncText();
  const { sx } = sync;
  const id = useId();
  const [url, setUrl] = useState(defaultUrl);
  const [code, setCode] = useState('');
  const [fields, setFields] = useState<{ url?: boolean; code?: boolean }>({});
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const normalised = normalisePairingCode(code);
    const bad = {
      url: !/^https?:\/\/[^\s/]+/i.test(url.trim()),
      code:
        normalised.length !== PAIRING_CODE_LENGTH ||
        [...normalised].some((ch) => !PAIRING_CODE_ALPHABET.includes(ch)),
    };
    setFields(bad);
    if (bad.url || bad.code) {
      setError('validation_failed');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const answer = await unwrap(
        api.api.sync.pair.$post({ json: { code: normalised, centralUrl: url.trim() } }),
      );
      setCode('');
      onPaired(answer.clinicId);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      className="form sync-card"
      noValidate
      aria-labelledby={`${id}-title`}
      data-testid="sync-pair-form"
      onSubmit={(e) => void submit(e)}
    >
      <h3 id={`${id}-title`} className="sync-card__title">
        {title}
      </h3>
      <p className="muted">{sx('pairIntro')}</p>
      <label className="field">
        {sx('urlLabel')}
        <span className="field__hint muted" id={`${id}-url-hint`}>
          {sx('urlHint')}
        </span>
        <input
          type="url"
          name="centralUrl"
          autoComplete="url"
          inputMode="url"
          value={url}
          data-testid="sync-url"
          aria-invalid={fields.url ? true : undefined}
          aria-describedby={fields.url ? `${id}-url-hint ${id}-url-error` : `${id}-url-hint`}
          onChange={(e) => setUrl(e.target.value)}
        />
        {fields.url && (
          <span id={`${id}-url-error`} className="field__error">
            {sync.strings.fieldErrors.url}
          </span>
        )}
      </label>
      <label className="field">
        {sx('codeLabel')}
        <span className="field__hint muted" id={`${id}-code-hint`}>
          {sx('codeHint')}
        </span>
        <input
          type="text"
          name="code"
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={20}
          className="sync-code-input"
          value={code}
          data-testid="sync-code"
          aria-invalid={fields.code ? true : undefined}
          aria-describedby={fields.code ? `${id}-code-hint ${id}-code-error` : `${id}-code-hint`}
          onChange={(e) => setCode(e.target.value)}
        />
        {fields.code && (
          <span id={`${id}-code-error`} className="field__error">
            {sync.strings.fieldErrors.code}
          </span>
        )}
      </label>
      {error !== null && (
        <p className="alert alert--error" role="alert" data-testid="sync-pair-error">
          {sync.errorText(error)}
        </p>
      )}
      <div className="sync-buttons">
        <button type="submit" className="btn btn--primary" disabled={busy} data-testid="sync-pair">
          {busy ? sx('pairing') : sx('pair')}
        </button>
        {onCancel && (
          <button type="button" className="btn" onClick={onCancel}>
            {sx('hideRepair')}
          </button>
        )}
      </div>
    </form>
  );
}

/** "Renovar credencial" with an inline confirmation. */
function RotateCard({ onRotated }: { onRotated: () => void }) {
  const sync = useSyncText();
  const { sx } = sync;
  const id = useId();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const rotate = async () => {
    setBusy(true);
    setError(null);
    try {
      await unwrap(api.api.sync.rotate.$post());
      setConfirming(false);
      onRotated();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="sync-card" aria-labelledby={`${id}-title`} data-testid="sync-rotate-card">
      <h3 id={`${id}-title`} className="sync-card__title">
        {sx('rotateTitle')}
      </h3>
      <p className="muted">{sx('rotateIntro')}</p>
      {confirming ? (
        <div className="sync-confirm" role="group" aria-labelledby={`${id}-confirm`}>
          <p id={`${id}-confirm`}>{sx('rotateConfirm')}</p>
          <div className="sync-buttons">
            <button
              type="button"
              className="btn btn--danger"
              disabled={busy}
              data-testid="sync-rotate-confirm"
              onClick={() => void rotate()}
            >
              {busy ? sx('rotating') : sx('rotateYes')}
            </button>
            <button type="button" className="btn" disabled={busy} onClick={() => setConfirming(false)}>
              {sx('cancel')}
            </button>
          </div>
        </div>
      ) : (
        <div>
          <button
            type="button"
            className="btn"
            data-testid="sync-rotate"
            onClick={() => {
              setError(null);
              setConfirming(true);
            }}
          >
            {sx('rotate')}
          </button>
        </div>
      )}
      {error !== null && (
        <p className="alert alert--error" role="alert" data-testid="sync-rotate-error">
          {sync.errorText(error)}
        </p>
      )}
    </section>
  );
}
