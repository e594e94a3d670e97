/**
 * Reads a booking code from a QR code in a camera frame (the QR on the portal's confirmation and in the
 * booking email encodes the bare 6-character code). Decoding runs in the page with jsQR on the 640×480
 * frame the kiosk already draws (≈ 10–30 ms), a few times a second, so a patient can hold their phone to
 * the camera instead of typing.
 */
import jsQR from 'jsqr';
import { BOOKING_CODE_ALPHABET } from '../../server/domain/booking.ts';

const CODE = new RegExp(`^[${BOOKING_CODE_ALPHABET}]{6}$`);

/**
 * The booking code in `text` (case, spaces and dashes ignored), or null when it is not one: only the
 * 6 characters of the booking-code alphabet are accepted, so an unrelated QR (a URL, a menu) is ignored.
 */
export function bookingCodeFromQrText(text: string): string | null {
  const code = text.trim().toUpperCase().replace(/[\s-]/g, '');
  return CODE.test(code) ? code : null;
}

/** Decodes a QR in the canvas's current picture; the booking code it carries, or null. */
export function scanBookingCode(ctx: CanvasRenderingContext2D, width: number, height: number): string | null {
  const image = ctx.getImageData(0, 0, width, height);
  const found = jsQR(image.data, width, height, { inversionAttempts: 'dontInvert' });
  return found ? bookingCodeFromQrText(found.data) : null;
}
