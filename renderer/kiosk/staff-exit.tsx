/**
 * The kiosk's hidden staff access: pressing and holding the top-right corner for 3 s opens a PIN pad; in
 * the Electron app the PIN goes to main (`kiosk:leave`, checked by the local server's
 * `POST /api/kiosk/exit-check`, throttled), which takes the window out of kiosk mode. Then a small staff
 * menu chooses the kiosk's camera (from enumerateDevices) and, in Electron, the ticket printer and
 * auto-print. In a browser there is no kiosk mode to leave: the menu opens directly and the camera
 * choice is kept in localStorage (renderer/shared/native.ts).
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { listCameras, native, setCameraChoice, type CameraChoice, type CfdBridge } from '../shared/native.ts';

/** How long the corner must be held, ms. */
export const HOLD_MS = 3000;

interface Props {
  camera: CameraChoice;
  onCameraChange(choice: CameraChoice): void;
}

/** The hold-to-open corner and, once opened, the PIN pad and the staff menu. */
export function StaffCorner({ camera, onCameraChange }: Props) {
  const { t } = useTranslation();
  const bridge = native();
  const [step, setStep] = useState<'closed' | 'pin' | 'menu'>('closed');
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const cancelHold = () => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
  };
  useEffect(() => cancelHold, []);
  const startHold = () => {
    cancelHold();
    timer.current = setTimeout(() => setStep(bridge ? 'pin' : 'menu'), HOLD_MS);
  };

  return (
    <>
      <button
        type="button"
        className="kiosk-staff-corner"
        data-testid="kiosk-staff-corner"
        aria-label={t('kiosk.staff.open')}
        onPointerDown={startHold}
        onPointerUp={cancelHold}
        onPointerLeave={cancelHold}
        onPointerCancel={cancelHold}
        onContextMenu={(e) => e.preventDefault()}
      />
      {step !== 'closed' && (
        <div className="kiosk-staff" role="dialog" aria-modal="true" aria-labelledby="kiosk-staff-title">
          <div className="kiosk-card kiosk-staff__card">
            <h2 id="kiosk-staff-title">{t('kiosk.staff.title')}</h2>
            {step === 'pin' && bridge ? (
              <PinPad bridge={bridge} onLeft={() => setStep('menu')} onCancel={() => setStep('closed')} />
            ) : (
              <StaffMenu
                bridge={bridge}
                camera={camera}
                onCameraChange={onCameraChange}
                onClose={() => setStep('closed')}
              />
            )}
          </div>
        </div>
      )}
    </>
  );
}

function PinPad({ bridge, onLeft, onCancel }: { bridge: CfdBridge; onLeft(): void; onCancel(): void }) {
  const { t } = useTranslation();
  const [pin, setPin] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy || pin.length < 4) return;
    setBusy(true);
    const res = await bridge.kioskLeave({ pin });
    setBusy(false);
    setPin('');
    if (res.ok) return onLeft();
    const code = res.error.code;
    setError(
      code === 'wrong_pin'
        ? t('kiosk.staff.wrongPin')
        : code === 'too_many_attempts'
          ? t('kiosk.staff.tooMany')
          : t('kiosk.staff.failed'),
    );
  };
  const press = (d: string) => setPin((p) => (p.length < 8 ? p + d : p));
  return (
    <form onSubmit={submit} className="kiosk-staff__pin">
      <label htmlFor="kiosk-staff-pin">{t('kiosk.staff.pin')}</label>
      <input
        id="kiosk-staff-pin"
        type="password"
        inputMode="numeric"
        autoComplete="off"
        maxLength={8}
        value={pin}
        onChange={(e) => setPin(e.target.value.replace(/\D/g, '').slice(0, 8))}
        autoFocus
      />
      <div className="keypad kiosk-staff__keypad" role="group">
        {['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'].map((d) => (
          <button key={d} type="button" className="keypad__key" onClick={() => press(d)}>
            {d}
          </button>
        ))}
        <button
          type="button"
          className="keypad__key"
          aria-label={t('kiosk.code.delete')}
          onClick={() => setPin((p) => p.slice(0, -1))}
        >
          ⌫
        </button>
      </div>
      {error && (
        <p role="alert" className="kiosk-staff__error">
          {error}
        </p>
      )}
      <div className="kiosk-staff__actions">
        <button type="button" className="btn kiosk-btn kiosk-btn--secondary" onClick={onCancel}>
          {t('kiosk.staff.cancel')}
        </button>
        <button type="submit" className="btn btn--primary kiosk-btn" disabled={busy || pin.length < 4}>
          {t('kiosk.staff.submit')}
        </button>
      </div>
    </form>
  );
}

function StaffMenu({
  bridge,
  camera,
  onCameraChange,
  onClose,
}: {
  bridge: CfdBridge | null;
  camera: CameraChoice;
  onCameraChange(choice: CameraChoice): void;
  onClose(): void;
}) {
  const { t } = useTranslation();
  const [cameras, setCameras] = useState<{ deviceId: string; label: string }[]>([]);
  const [printers, setPrinters] = useState<{ name: string; displayName: string }[]>([]);
  const [print, setPrint] = useState<{ ticket: string | null; autoPrintTicket: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    void listCameras().then(setCameras, () => setCameras([]));
    if (!bridge) return;
    void bridge.printPrinters().then((r) => r.ok && setPrinters(r.value));
    void bridge.printSettingsGet().then((r) => r.ok && setPrint(r.value));
  }, [bridge]);

  const chooseCamera = async (deviceId: string) => {
    const choice = deviceId
      ? { deviceId, label: cameras.find((c) => c.deviceId === deviceId)?.label ?? '' }
      : null;
    if (await setCameraChoice(choice, bridge)) onCameraChange(choice);
    else setError(t('kiosk.staff.saveFailed'));
  };
  const savePrint = async (patch: { ticket?: string | null; autoPrintTicket?: boolean }) => {
    if (!bridge) return;
    const res = await bridge.printSettingsSet(patch);
    if (res.ok) setPrint(res.value);
    else setError(t('kiosk.staff.saveFailed'));
  };

  return (
    <div className="kiosk-staff__menu" data-testid="kiosk-staff-menu">
      {bridge && <p role="status">{t('kiosk.staff.left')}</p>}
      <label>
        {t('kiosk.staff.camera')}
        <select value={camera?.deviceId ?? ''} onChange={(e) => void chooseCamera(e.target.value)}>
          <option value="">{t('kiosk.staff.cameraDefault')}</option>
          {cameras.map((c) => (
            <option key={c.deviceId} value={c.deviceId}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      {bridge && print && (
        <>
          <label>
            {t('kiosk.staff.ticketPrinter')}
            <select
              value={print.ticket ?? ''}
              onChange={(e) => void savePrint({ ticket: e.target.value || null })}
            >
              <option value="">{t('kiosk.staff.noPrinter')}</option>
              {printers.map((p) => (
                <option key={p.name} value={p.name}>
                  {p.displayName}
                </option>
              ))}
            </select>
          </label>
          <label className="kiosk-staff__check">
            <input
              type="checkbox"
              checked={print.autoPrintTicket}
              onChange={(e) => void savePrint({ autoPrintTicket: e.target.checked })}
            />
            {t('kiosk.staff.autoPrint')}
          </label>
        </>
      )}
      {error && (
        <p role="alert" className="kiosk-staff__error">
          {error}
        </p>
      )}
      <div className="kiosk-staff__actions">
        <button type="button" className="btn btn--primary kiosk-btn" onClick={onClose}>
          {t('kiosk.staff.close')}
        </button>
      </div>
    </div>
  );
}
