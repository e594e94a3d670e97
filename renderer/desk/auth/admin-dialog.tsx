/**
 * Administration at the desk, in a modal dialog: staff accounts (admins only: add, change role or
 * linked practitioner, deactivate / reactivate, reset a password — `GET/POST/PATCH /api/staff`) and
 * paired devices (admins and receptionists: make a one-time pairing code for a kiosk or display, list
 * devices with when each was last seen, revoke — `/api/devices/*`).
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeviceView, StaffRole, StaffView } from '../../../server/domain/staff.ts';
import { api, unwrap } from '../../shared/api.ts';
import { formatTime } from '../../shared/format.ts';
import { errorKey } from '../../shared/i18n.ts';
import { useDesk } from '../store.ts';

const ROLES: StaffRole[] = ['admin', 'receptionist', 'practitioner'];

/** The dialog; `isAdmin` adds the staff tab. */
export function AdminDialog({ isAdmin, onClose }: { isAdmin: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const id = useId();
  const ref = useRef<HTMLDialogElement>(null);
  const [tab, setTab] = useState<'staff' | 'devices'>(isAdmin ? 'staff' : 'devices');
  useEffect(() => {
    if (ref.current && !ref.current.open) ref.current.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      className="dialog admin"
      aria-labelledby={`${id}-title`}
      onClose={onClose}
      data-testid="admin-dialog"
    >
      <header className="dialog__head">
        <h2 id={`${id}-title`}>{t('auth.adminTitle')}</h2>
        <button
          type="button"
          className="btn btn--ghost dialog__close"
          aria-label={t('common.close')}
          onClick={() => ref.current?.close()}
        >
          ×
        </button>
      </header>
      <div className="dialog__body">
        <div role="tablist" className="admin__tabs">
          {isAdmin && (
            <button
              type="button"
              role="tab"
              aria-selected={tab === 'staff'}
              className="btn"
              onClick={() => setTab('staff')}
            >
              {t('auth.staffTitle')}
            </button>
          )}
          <button
            type="button"
            role="tab"
            aria-selected={tab === 'devices'}
            className="btn"
            onClick={() => setTab('devices')}
          >
            {t('auth.devicesTitle')}
          </button>
        </div>
        <div role="tabpanel">{tab === 'staff' && isAdmin ? <StaffPanel /> : <DevicesPanel />}</div>
      </div>
    </dialog>
  );
}

function StaffPanel() {
  const { t } = useTranslation();
  const id = useId();
  const practitioners = useDesk((s) => s.board?.practitioners ?? []);
  const [staff, setStaff] = useState<StaffView[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [form, setForm] = useState({
    username: '',
    displayName: '',
    role: 'receptionist' as StaffRole,
    practitionerId: '',
    password: '',
  });
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let cancelled = false;
    unwrap(api.api.staff.$get()).then(
      (r) => !cancelled && setStaff(r.staff),
      (err: unknown) => !cancelled && setMessage(t(errorKey(err))),
    );
    return () => {
      cancelled = true;
    };
  }, [t, version]);
  const act = async (work: () => Promise<unknown>) => {
    setMessage(null);
    try {
      await work();
      setMessage(t('auth.saved'));
      setVersion((v) => v + 1);
    } catch (err) {
      setMessage(t(errorKey(err)));
    }
  };
  const add = (e: FormEvent) => {
    e.preventDefault();
    void act(async () => {
      await unwrap(
        api.api.staff.$post({
          json: {
            ...form,
            practitionerId: form.role === 'practitioner' ? form.practitionerId || null : null,
          },
        }),
      );
      setForm({ username: '', displayName: '', role: 'receptionist', practitionerId: '', password: '' });
    });
  };
  const patch = (s: StaffView, json: Record<string, unknown>) =>
    act(() => unwrap(api.api.staff[':id'].$patch({ param: { id: s.id }, json })));
  return (
    <div className="admin__panel">
      <table className="admin__table">
        <thead>
          <tr>
            <th scope="col">{t('auth.displayName')}</th>
            <th scope="col">{t('auth.username')}</th>
            <th scope="col">{t('auth.role')}</th>
            <th scope="col">{t('auth.active')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('auth.save')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {staff.map((s) => (
            <tr key={s.id} data-testid={`staff-${s.username}`}>
              <td>{s.displayName}</td>
              <td>{s.username}</td>
              <td>
                <select
                  aria-label={t('auth.role') + ' ' + s.username}
                  value={s.role}
                  onChange={(e) => void patch(s, { role: e.target.value })}
                >
                  {ROLES.map((r) => (
                    <option key={r} value={r}>
                      {t(`auth.role_${r}`)}
                    </option>
                  ))}
                </select>
              </td>
              <td>{s.active ? t('auth.active') : t('auth.inactive')}</td>
              <td className="admin__actions">
                <button type="button" className="btn" onClick={() => void patch(s, { active: !s.active })}>
                  {s.active ? t('auth.deactivate') : t('auth.reactivate')}
                </button>
                <button
                  type="button"
                  className="btn btn--ghost"
                  onClick={() => {
                    const password = window.prompt(t('auth.newPassword'));
                    if (password) void patch(s, { password });
                  }}
                >
                  {t('auth.resetPassword')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form className="admin__form" onSubmit={add}>
        <h3>{t('auth.addStaff')}</h3>
        <label htmlFor={`${id}-name`}>{t('auth.displayName')}</label>
        <input
          id={`${id}-name`}
          required
          value={form.displayName}
          onChange={(e) => setForm({ ...form, displayName: e.target.value })}
        />
        <label htmlFor={`${id}-user`}>{t('auth.username')}</label>
        <input
          id={`${id}-user`}
          required
          autoCapitalize="none"
          value={form.username}
          onChange={(e) => setForm({ ...form, username: e.target.value })}
        />
        <label htmlFor={`${id}-role`}>{t('auth.role')}</label>
        <select
          id={`${id}-role`}
          value={form.role}
          onChange={(e) => setForm({ ...form, role: e.target.value as StaffRole })}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`auth.role_${r}`)}
            </option>
          ))}
        </select>
        {form.role === 'practitioner' && (
          <>
            <label htmlFor={`${id}-prac`}>{t('auth.practitioner')}</label>
            <select
              id={`${id}-prac`}
              required
              value={form.practitionerId}
              onChange={(e) => setForm({ ...form, practitionerId: e.target.value })}
            >
              <option value="">{t('auth.choose')}</option>
              {practitioners.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.displayName}
                </option>
              ))}
            </select>
          </>
        )}
        <label htmlFor={`${id}-pw`}>{t('auth.newPassword')}</label>
        <input
          id={`${id}-pw`}
          type="password"
          autoComplete="new-password"
          minLength={10}
          required
          value={form.password}
          onChange={(e) => setForm({ ...form, password: e.target.value })}
        />
        <button type="submit" className="btn btn--primary">
          {t('auth.addStaff')}
        </button>
      </form>
      {message && <p role="status">{message}</p>}
    </div>
  );
}

function DevicesPanel() {
  const { t } = useTranslation();
  const id = useId();
  const [devices, setDevices] = useState<DeviceView[]>([]);
  const [kind, setKind] = useState<'kiosk' | 'display'>('display');
  const [name, setName] = useState('');
  const [code, setCode] = useState<{ code: string; expiresAt: string } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  useEffect(() => {
    let cancelled = false;
    const load = () =>
      unwrap(api.api.devices.$get()).then(
        (r) => !cancelled && setDevices(r.devices),
        (err: unknown) => !cancelled && setMessage(t(errorKey(err))),
      );
    void load();
    const timer = setInterval(() => void load(), 5000);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [t, version]);
  const makeCode = async (e: FormEvent) => {
    e.preventDefault();
    setMessage(null);
    try {
      setCode(await unwrap(api.api.devices['pairing-codes'].$post({ json: { kind, name } })));
    } catch (err) {
      setMessage(t(errorKey(err)));
    }
  };
  const revoke = async (d: DeviceView) => {
    try {
      await unwrap(api.api.devices[':id'].revoke.$post({ param: { id: d.id } }));
      setVersion((v) => v + 1);
    } catch (err) {
      setMessage(t(errorKey(err)));
    }
  };
  return (
    <div className="admin__panel">
      <form className="admin__form" onSubmit={(e) => void makeCode(e)}>
        <h3>{t('auth.pairTitle')}</h3>
        <p className="muted">{t('auth.pairHelp')}</p>
        <label htmlFor={`${id}-kind`}>{t('auth.kind')}</label>
        <select
          id={`${id}-kind`}
          value={kind}
          onChange={(e) => setKind(e.target.value as 'kiosk' | 'display')}
        >
          <option value="display">{t('auth.kind_display')}</option>
          <option value="kiosk">{t('auth.kind_kiosk')}</option>
        </select>
        <label htmlFor={`${id}-name`}>{t('auth.deviceName')}</label>
        <input
          id={`${id}-name`}
          required
          maxLength={60}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <button type="submit" className="btn btn--primary">
          {t('auth.makeCode')}
        </button>
        {code && (
          <p className="admin__code" role="status" data-testid="pairing-code">
            {t('auth.codeShown', { code: code.code, time: formatTime(code.expiresAt) })}
          </p>
        )}
      </form>
      <table className="admin__table">
        <thead>
          <tr>
            <th scope="col">{t('auth.deviceName')}</th>
            <th scope="col">{t('auth.kind')}</th>
            <th scope="col">{t('auth.lastSeen')}</th>
            <th scope="col">{t('auth.pairedBy')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('auth.revoke')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {devices.map((d) => (
            <tr key={d.id} data-testid={`device-${d.name}`}>
              <td>{d.name}</td>
              <td>{t(`auth.kind_${d.kind}`)}</td>
              <td>{d.lastSeenAt ? formatTime(d.lastSeenAt) : t('auth.never')}</td>
              <td>{d.createdBy.replace(/^staff:/, '')}</td>
              <td>
                {d.revokedAt ? (
                  t('auth.revoked')
                ) : (
                  <button type="button" className="btn" onClick={() => void revoke(d)}>
                    {t('auth.revoke')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {message && <p role="status">{message}</p>}
    </div>
  );
}
