-- 0040-desk-payments: payments taken at the desk (payments issue, part 7): cash, or card on the clinic's
-- own terminal (recorded as a method; the terminal is not connected). Each payment has a receipt number
-- 'R <year>/<seq>', sequential per calendar year (Europe/Lisbon) with no gaps: the service allocates
-- MAX + 1 in the write transaction, and the triggers below refuse any insert that would leave a gap and
-- any delete, so a gap cannot be made even by hand. A mistaken payment is voided (voided_at, void_reason),
-- never deleted: its receipt number stays used and its receipt shows ANULADO.

CREATE TABLE payments (
  id TEXT PRIMARY KEY,               -- UUIDv7
  appointment_id TEXT NOT NULL REFERENCES appointments(id),
  method TEXT NOT NULL CHECK (method IN ('cash', 'card')),
  amount_cents INTEGER NOT NULL CHECK (amount_cents BETWEEN 1 AND 1000000),
  receipt_year INTEGER NOT NULL CHECK (receipt_year BETWEEN 2000 AND 9999),
  receipt_seq INTEGER NOT NULL CHECK (receipt_seq >= 1),
  received_by TEXT NOT NULL,         -- who took the money: the screen ('desk') until staff accounts exist
  created_at TEXT NOT NULL,          -- when it was received, ISO-8601 UTC
  updated_at TEXT NOT NULL,
  voided_at TEXT,
  void_reason TEXT,
  version INTEGER NOT NULL DEFAULT 1,
  UNIQUE (receipt_year, receipt_seq),
  CHECK ((voided_at IS NULL) = (void_reason IS NULL))
) STRICT;

-- At most one payment per appointment that is not voided (a voided one may be followed by a new one).
CREATE UNIQUE INDEX payments_live_per_appointment ON payments(appointment_id) WHERE voided_at IS NULL;

CREATE TRIGGER payments_receipt_next BEFORE INSERT ON payments
WHEN NEW.receipt_seq IS NOT
  (SELECT COALESCE(MAX(receipt_seq), 0) + 1 FROM payments WHERE receipt_year = NEW.receipt_year)
BEGIN
  SELECT RAISE(ABORT, 'receipt_seq must be the next number of its year (receipts have no gaps)');
END;

CREATE TRIGGER payments_no_delete BEFORE DELETE ON payments
BEGIN
  SELECT RAISE(ABORT, 'payments are never deleted: void them (the receipt number stays used)');
END;

-- Only voiding changes a payment, once: what was received and its receipt number never change.
CREATE TRIGGER payments_immutable BEFORE UPDATE ON payments
WHEN OLD.voided_at IS NOT NULL
  OR NEW.id IS NOT OLD.id
  OR NEW.appointment_id IS NOT OLD.appointment_id
  OR NEW.method IS NOT OLD.method
  OR NEW.amount_cents IS NOT OLD.amount_cents
  OR NEW.receipt_year IS NOT OLD.receipt_year
  OR NEW.receipt_seq IS NOT OLD.receipt_seq
  OR NEW.received_by IS NOT OLD.received_by
  OR NEW.created_at IS NOT OLD.created_at
BEGIN
  SELECT RAISE(ABORT, 'a payment is only ever voided, once');
END;
