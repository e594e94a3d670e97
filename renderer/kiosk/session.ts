/**
 * The kiosk session id, one per page load, sent as `x-kiosk-session`: the server keeps the live sequence
 * of camera frames per session, and binds a withdrawal of face consent to what the session identified
 * by booking code.
 */
export const KIOSK_SESSION_ID = crypto.randomUUID();
