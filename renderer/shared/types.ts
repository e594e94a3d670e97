/**
 * Shapes the pages work with, inferred from the server's routes (`AppType`) so they cannot drift from
 * what the API really sends. Times are ISO-8601 UTC strings.
 */
import type { InferResponseType } from 'hono/client';
import type { api } from './api.ts';

/** GET /api/board: the desk's board for one clinic day. */
export type Board = InferResponseType<typeof api.api.board.$get>;
export type BoardAppointment = Board['appointments'][number];
export type VisitStatus = BoardAppointment['status'];
export type Room = Board['rooms'][number];
export type Practitioner = Board['practitioners'][number];
export type Specialty = Board['specialties'][number];
export type Settings = Board['settings'];

/** GET /api/display: the waiting-room screen (names already masked by the server). */
export type DisplayState = InferResponseType<typeof api.api.display.$get>;
export type DisplayCall = DisplayState['nowCalling'][number];
export type DisplayWaiting = DisplayState['waiting'][number];

/** POST /api/kiosk/frames: one analysed camera frame. */
export type FrameResult = InferResponseType<typeof api.api.kiosk.frames.$post>;
/** POST /api/kiosk/code: the appointment proposed for confirmation (initials only), and `faceEnrolled`. */
export type KioskCodeCandidate = InferResponseType<typeof api.api.kiosk.code.$post>;
/** The candidate on the kiosk's screen; `faceEnrolled` is known only when it was found by booking code. */
export type KioskCandidate = Omit<KioskCodeCandidate, 'faceEnrolled'> & { faceEnrolled?: boolean };
/** POST /api/kiosk/confirm: what the kiosk shows after check-in. */
export type CheckInReceipt = InferResponseType<typeof api.api.kiosk.confirm.$post>;

/** GET /api/patients/:id/face */
export type EnrolmentStatus = InferResponseType<(typeof api.api.patients)[':id']['face']['$get']>;

/** GET /api/analytics: the desk's analytics of a range of clinic days (server/clinic/features/analytics). */
export type AnalyticsReport = InferResponseType<typeof api.api.analytics.$get>;
export type AnalyticsBucketMetrics = AnalyticsReport['buckets'][number];

export type Lang = 'pt' | 'en';
