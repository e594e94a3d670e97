/**
 * Portal links of clinic patients (issue 9, same-patient merge; docs/sync.md "Same-patient merge"):
 * - `invite`: a paired clinic asks for a one-time link to one of its patients (its local id). Central
 *   makes a token (32 random bytes, base64url; only its SHA-256 is stored), valid 14 days, tied to
 *   (clinic, clinic patient), and sends `<public url>/link/<token>` by e-mail and/or SMS through the
 *   mailer and the SMS sender (the demo sinks in the embedded setup). The token is sent right after the
 *   commit and never written anywhere in clear (not even to the message outbox), so a send that fails is
 *   reported (`sent`) and the desk invites again.
 * - `linkInfo`: what the portal page shows (the clinic's name, the expiry) for a live token.
 * - `accept`: the logged-in patient confirms; in one transaction the token is used, the link stored and a
 *   `patient_link { clinicPatientId, accountId }` change put in that clinic's feed (`recordChange` with
 *   the clinic id), which the clinic applies by linking (and merging) its record.
 * - `feedLinkedErasures`: an account's erasure reaches every clinic patient linked to it.
 * Each step is audited (`patient_link.invite`, `patient_link.accept`).
 */
import { and, eq, sql } from 'drizzle-orm';
import { AppError } from '../../../domain/errors.ts';
import {
  PATIENT_LINK_ENTITY,
  PATIENT_LINK_PATH,
  PATIENT_LINK_TTL_DAYS,
  type PatientLinkAcceptDto,
  type PatientLinkInfoDto,
  type PatientLinkInviteDto,
} from '../../../domain/patient-links.ts';
import { parseSmsPhone } from '../../../domain/payments/phone.ts';
import type { CentralDb, CentralTx } from '../../db/database.ts';
import { recordChange, writeAudit } from '../../db/changes.ts';
import { accounts, clinics } from '../../db/schema.ts';
import type { CentralDeps } from '../../deps.ts';
import { hashToken, newToken } from '../../http/auth.ts';
import { renderMail } from '../../mail/templates.ts';
import { patientLinkInvites, patientLinks } from './tables.ts';

const DAY_MS = 86_400_000;

/** The invite as the route parsed it. */
export interface InviteRequest {
  clinicPatientId: string;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  locale: 'pt' | 'en';
}

/**
 * Makes a one-time link for the clinic's patient and sends it.
 * @throws AppError patient_has_portal_account (409) when that clinic patient is already linked;
 *   contact_required (422) without an e-mail or a mobile number an SMS can reach
 */
export async function invite(
  deps: CentralDeps,
  clinicId: string,
  req: InviteRequest,
  ip: string | null,
): Promise<PatientLinkInviteDto> {
  const sms = req.phone ? parseSmsPhone(req.phone) : null;
  const phone = sms?.ok ? sms.e164 : null;
  const email = req.email ?? null;
  if (!email && !phone) throw new AppError('contact_required', 'an e-mail or a mobile number is needed');
  const token = newToken();
  const now = deps.now();
  const expiresAt = new Date(now + PATIENT_LINK_TTL_DAYS * DAY_MS);
  const clinicName = await deps.db.transaction(async (tx) => {
    const [linked] = await tx
      .select({ one: sql`1` })
      .from(patientLinks)
      .where(and(eq(patientLinks.clinicId, clinicId), eq(patientLinks.clinicPatientId, req.clinicPatientId)));
    if (linked) throw new AppError('patient_has_portal_account', 'this patient already linked an account');
    const [clinic] = await tx.select({ name: clinics.name }).from(clinics).where(eq(clinics.id, clinicId));
    await tx.insert(patientLinkInvites).values({
      tokenHash: hashToken(token),
      clinicId,
      clinicPatientId: req.clinicPatientId,
      createdAt: new Date(now),
      expiresAt,
    });
    await writeAudit(tx, now, {
      actor: `clinic:${clinicId}`,
      action: 'patient_link.invite',
      entity: 'patient_link',
      entityId: req.clinicPatientId,
      clinicId,
      ip,
      details: { email: email !== null, sms: phone !== null },
    });
    return clinic!.name;
  });
  const url = `${deps.config.publicUrl.replace(/\/+$/, '')}${PATIENT_LINK_PATH}${token}`;
  const sent = { email: false, sms: false };
  const pt = req.locale === 'pt';
  if (email) {
    const mail = renderMail({
      locale: req.locale,
      title: pt ? `Área do utente — ${clinicName}` : `Patient area — ${clinicName}`,
      paragraphs: [
        pt
          ? `A ${clinicName} convida-o a associar a sua conta da área do utente à sua ficha na clínica. Assim vê as suas consultas num só lugar.`
          : `${clinicName} invites you to link your patient-area account to your record at the clinic, so you see all your appointments in one place.`,
        pt
          ? `O endereço é válido durante ${PATIENT_LINK_TTL_DAYS} dias e só pode ser usado uma vez. Se não pediu isto, ignore esta mensagem.`
          : `The link is valid for ${PATIENT_LINK_TTL_DAYS} days and works once. If you did not ask for this, ignore this message.`,
      ],
      action: { label: pt ? 'Associar a minha conta' : 'Link my account', url },
    });
    try {
      await deps.mailer.send({ to: email, ...mail });
      sent.email = true;
    } catch (err) {
      console.warn(
        JSON.stringify({ level: 'warn', event: 'patient_link.mail_failed', message: (err as Error).message }),
      );
    }
  }
  if (phone) {
    try {
      await deps.sms.send({
        to: phone,
        body: pt
          ? `${clinicName}: associe a sua conta da área do utente à sua ficha: ${url}`
          : `${clinicName}: link your patient-area account to your record: ${url}`,
        idempotencyKey: hashToken(token).slice(0, 32),
      });
      sent.sms = true;
    } catch (err) {
      console.warn(
        JSON.stringify({ level: 'warn', event: 'patient_link.sms_failed', message: (err as Error).message }),
      );
    }
  }
  return { expiresAt: expiresAt.toISOString(), sent };
}

type InviteRow = typeof patientLinkInvites.$inferSelect;

/**
 * The live invite of `token` (row-locked inside a transaction when `forUpdate`).
 * @throws AppError link_token_invalid (404) unknown | link_token_used (410) | link_token_expired (410)
 */
async function liveInvite(
  db: CentralDb | CentralTx,
  token: string,
  now: number,
  forUpdate = false,
): Promise<InviteRow> {
  const q = db
    .select()
    .from(patientLinkInvites)
    .where(eq(patientLinkInvites.tokenHash, hashToken(token)));
  const [row] = forUpdate ? await q.for('update') : await q;
  if (!row) throw new AppError('link_token_invalid', 'this link is not known');
  if (row.usedAt) throw new AppError('link_token_used', 'this link was already used');
  if (row.expiresAt.getTime() <= now) throw new AppError('link_token_expired', 'this link has expired');
  return row;
}

/**
 * What the portal shows before the patient confirms.
 * @throws AppError link_token_invalid | link_token_used | link_token_expired
 */
export async function linkInfo(deps: CentralDeps, token: string): Promise<PatientLinkInfoDto> {
  const row = await liveInvite(deps.db, token, deps.now());
  const [clinic] = await deps.db
    .select({ name: clinics.name })
    .from(clinics)
    .where(eq(clinics.id, row.clinicId));
  return { clinicName: clinic!.name, expiresAt: row.expiresAt.toISOString() };
}

/**
 * The logged-in patient links their account to the clinic's record: token used, link stored, the clinic's
 * feed gets a `patient_link` change; all in one transaction.
 * @throws AppError link_token_invalid | link_token_used | link_token_expired | link_conflict (409: that
 *   clinic patient or this account is already linked otherwise) | unauthorized (account erased)
 */
export async function accept(
  deps: CentralDeps,
  accountId: string,
  token: string,
  ip: string | null,
): Promise<PatientLinkAcceptDto> {
  return deps.db.transaction(async (tx) => {
    const now = deps.now();
    const row = await liveInvite(tx, token, now, true);
    const [account] = await tx
      .select({ deletedAt: accounts.deletedAt })
      .from(accounts)
      .where(eq(accounts.id, accountId));
    if (!account || account.deletedAt) throw new AppError('unauthorized', 'account gone');
    const existing = await tx
      .select()
      .from(patientLinks)
      .where(
        and(
          eq(patientLinks.clinicId, row.clinicId),
          sql`(${patientLinks.clinicPatientId} = ${row.clinicPatientId} OR ${patientLinks.accountId} = ${accountId})`,
        ),
      );
    if (existing.length > 0)
      throw new AppError('link_conflict', 'this record or this account is already linked at this clinic');
    await tx
      .update(patientLinkInvites)
      .set({ usedAt: new Date(now), usedBy: accountId })
      .where(eq(patientLinkInvites.tokenHash, row.tokenHash));
    await tx.insert(patientLinks).values({
      clinicId: row.clinicId,
      clinicPatientId: row.clinicPatientId,
      accountId,
      linkedAt: new Date(now),
    });
    await recordChange(tx, now, {
      clinicId: row.clinicId,
      entity: PATIENT_LINK_ENTITY,
      entityId: row.clinicPatientId,
      op: 'insert',
      version: 1,
      accountId,
      payload: { clinicPatientId: row.clinicPatientId, accountId },
    });
    await writeAudit(tx, now, {
      actor: `account:${accountId}`,
      action: 'patient_link.accept',
      entity: 'patient_link',
      entityId: row.clinicPatientId,
      clinicId: row.clinicId,
      ip,
    });
    const [clinic] = await tx
      .select({ name: clinics.name })
      .from(clinics)
      .where(eq(clinics.id, row.clinicId));
    return { clinicName: clinic!.name, linkedAt: new Date(now).toISOString() };
  });
}

/**
 * In an account's erasure transaction: a `patient` delete `{ id: accountId, erased: true }` in the feed
 * of every clinic that links a patient to the account (the clinic resolves the account to its record and
 * erases it). Returns how many clinics were told.
 */
export async function feedLinkedErasures(tx: CentralTx, nowMs: number, accountId: string): Promise<number> {
  const links = await tx.select().from(patientLinks).where(eq(patientLinks.accountId, accountId));
  for (const l of links)
    await recordChange(tx, nowMs, {
      clinicId: l.clinicId,
      entity: 'patient',
      entityId: accountId,
      op: 'delete',
      version: 1,
      accountId,
      payload: { id: accountId, erased: true },
    });
  return links.length;
}
