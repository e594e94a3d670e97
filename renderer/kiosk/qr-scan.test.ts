/** Which QR texts the kiosk takes as a booking code. */
import { describe, expect, it } from 'vitest';
import { bookingCodeFromQrText } from './qr-scan.ts';

describe('bookingCodeFromQrText', () => {
  it('accepts the 6 characters of the booking-code alphabet, ignoring case, spaces and dashes', () => {
    expect(bookingCodeFromQrText('V88U3X')).toBe('V88U3X');
    expect(bookingCodeFromQrText(' v88-u3x ')).toBe('V88U3X');
  });

  it('ignores anything else: look-alike characters, other lengths, URLs', () => {
    expect(bookingCodeFromQrText('V88U3O')).toBeNull(); // O is not in the alphabet
    expect(bookingCodeFromQrText('V88U31')).toBeNull(); // 1 neither
    expect(bookingCodeFromQrText('V88U3XY')).toBeNull();
    expect(bookingCodeFromQrText('https://example.com/V88U3X')).toBeNull();
  });
});
