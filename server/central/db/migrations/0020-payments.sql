-- Payments issue: orders that expire, payment attempts with provider references, callbacks kept as an
-- inbox, capability links for the payment page, invoices numbered with no gaps, and a durable outbox of
-- SMS and email (payment links, invoices, reminders). Money is integer cents; times are UTC.

-- Clinic settings: legal name on invoices, the invoice series code, how long an online order stays
-- payable, reminder offsets (hours before the start) and quiet hours (minutes after local midnight).
ALTER TABLE clinics ADD COLUMN legal_name text;
ALTER TABLE clinics ADD COLUMN invoice_series text NOT NULL DEFAULT 'FR' CHECK (invoice_series ~ '^[A-Z]{1,4}$');
ALTER TABLE clinics ADD COLUMN pay_window_hours integer NOT NULL DEFAULT 48 CHECK (pay_window_hours BETWEEN 1 AND 336);
ALTER TABLE clinics ADD COLUMN reminder_hours integer[] NOT NULL DEFAULT '{24,2}';
ALTER TABLE clinics ADD COLUMN quiet_start_min integer NOT NULL DEFAULT 1260 CHECK (quiet_start_min BETWEEN 0 AND 1439);
ALTER TABLE clinics ADD COLUMN quiet_end_min integer NOT NULL DEFAULT 540 CHECK (quiet_end_min BETWEEN 0 AND 1439);

-- Orders: the short id providers see (≤ 15 characters), when an unpaid online order expires, when it was
-- paid, and the invoice details the patient gave (null NIF = "Consumidor final").
ALTER TABLE orders ADD COLUMN ref text;
UPDATE orders SET ref = upper(substr(replace(id::text, '-', ''), 1, 12)) WHERE ref IS NULL;
ALTER TABLE orders ALTER COLUMN ref SET NOT NULL;
ALTER TABLE orders ADD CONSTRAINT orders_ref_unique UNIQUE (ref);
ALTER TABLE orders ADD COLUMN expires_at timestamptz;
ALTER TABLE orders ADD COLUMN paid_at timestamptz;
ALTER TABLE orders ADD COLUMN invoice_name text;
ALTER TABLE orders ADD COLUMN invoice_nif text;
ALTER TABLE orders ADD COLUMN invoice_address text;
CREATE INDEX orders_expiring ON orders (expires_at) WHERE status = 'pending';

-- Payments: when a reference or MB WAY request stops being payable, when it was paid, and why money
-- needs attention ('late': paid after the order expired or was cancelled; 'duplicate': the order was
-- already paid by another attempt; 'amount_mismatch': the provider reported a different amount).
ALTER TABLE payments ADD COLUMN expires_at timestamptz;
ALTER TABLE payments ADD COLUMN paid_at timestamptz;
ALTER TABLE payments ADD COLUMN flag text CHECK (flag IN ('late', 'duplicate', 'amount_mismatch'));
ALTER TABLE payments ADD COLUMN last_polled_at timestamptz;
CREATE INDEX payments_order ON payments (order_id, created_at);
CREATE INDEX payments_open ON payments (created_at) WHERE status = 'pending';

-- Every callback delivery as received (the anti-phishing key is never stored), processed after the
-- 200 answer. Kept for the reconciliation report: unmatched and mismatched deliveries are listed there.
CREATE TABLE payment_callbacks (
  id uuid PRIMARY KEY,
  provider text NOT NULL,
  request_id text NOT NULL,
  order_ref text,
  amount_cents integer NOT NULL,
  method text NOT NULL,
  paid_at timestamptz NOT NULL,
  params jsonb NOT NULL,
  received_at timestamptz NOT NULL,
  outcome text CHECK (outcome IN ('applied', 'duplicate', 'late', 'amount_mismatch', 'unmatched')),
  processed_at timestamptz,
  payment_id uuid REFERENCES payments(id)
);
CREATE INDEX payment_callbacks_todo ON payment_callbacks (received_at) WHERE processed_at IS NULL;
CREATE INDEX payment_callbacks_request ON payment_callbacks (provider, request_id);

-- Capability links to the payment page (sent by SMS/email): only a SHA-256 of the token is stored.
CREATE TABLE pay_links (
  token_hash text PRIMARY KEY,
  order_id uuid NOT NULL REFERENCES orders(id),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX pay_links_order ON pay_links (order_id);

-- Invoices (fatura-recibo) and credit notes. Numbers are sequential per clinic, series and year with no
-- gaps: the BEFORE INSERT trigger takes the next number from invoice_series under its row lock (so
-- concurrent issuers queue, and a rolled-back transaction gives its number back), and refuses a number
-- other than the next; issued documents are never deleted and their numbered fields never change.
CREATE TABLE invoice_series (
  clinic_id uuid NOT NULL REFERENCES clinics(id),
  series text NOT NULL,
  year integer NOT NULL,
  last_seq integer NOT NULL CHECK (last_seq >= 0),
  PRIMARY KEY (clinic_id, series, year)
);

CREATE TABLE invoices (
  id uuid PRIMARY KEY,
  clinic_id uuid NOT NULL REFERENCES clinics(id),
  order_id uuid NOT NULL REFERENCES orders(id),
  kind text NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
  series text NOT NULL,
  year integer NOT NULL,
  seq integer NOT NULL CHECK (seq >= 1),
  number text NOT NULL,
  refers_to uuid REFERENCES invoices(id),
  -- The document as issued (InvoiceDocument without dates as Date): what the PDF is rendered from.
  document jsonb NOT NULL,
  total_cents integer NOT NULL,
  issued_at timestamptz NOT NULL,
  -- The invoicing provider ('builtin' | 'invoicexpress'), its id and ATCUD once it has issued it.
  provider text NOT NULL,
  external_id text,
  atcud text,
  provider_issued_at timestamptz,
  UNIQUE (clinic_id, series, year, seq),
  CHECK ((kind = 'credit_note') = (refers_to IS NOT NULL))
);
CREATE UNIQUE INDEX invoices_one_per_order ON invoices (order_id) WHERE kind = 'invoice';
CREATE UNIQUE INDEX invoices_one_credit_per_invoice ON invoices (refers_to) WHERE kind = 'credit_note';

CREATE FUNCTION invoices_number() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE next_seq integer;
BEGIN
  INSERT INTO invoice_series (clinic_id, series, year, last_seq)
    VALUES (NEW.clinic_id, NEW.series, NEW.year, 0)
    ON CONFLICT (clinic_id, series, year) DO NOTHING;
  UPDATE invoice_series SET last_seq = last_seq + 1
    WHERE clinic_id = NEW.clinic_id AND series = NEW.series AND year = NEW.year
    RETURNING last_seq INTO next_seq;
  IF NEW.seq IS DISTINCT FROM next_seq THEN
    RAISE EXCEPTION 'invoice number % of series % %/% is not the next one (%)', NEW.seq, NEW.clinic_id, NEW.series, NEW.year, next_seq
      USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER invoices_number BEFORE INSERT ON invoices FOR EACH ROW EXECUTE FUNCTION invoices_number();

CREATE FUNCTION invoices_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'invoices are never deleted' USING ERRCODE = 'check_violation';
  END IF;
  IF (NEW.clinic_id, NEW.order_id, NEW.kind, NEW.series, NEW.year, NEW.seq, NEW.number, NEW.document, NEW.total_cents, NEW.issued_at, NEW.refers_to)
     IS DISTINCT FROM
     (OLD.clinic_id, OLD.order_id, OLD.kind, OLD.series, OLD.year, OLD.seq, OLD.number, OLD.document, OLD.total_cents, OLD.issued_at, OLD.refers_to) THEN
    RAISE EXCEPTION 'an issued invoice does not change' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER invoices_immutable BEFORE UPDATE OR DELETE ON invoices FOR EACH ROW EXECUTE FUNCTION invoices_immutable();

-- The durable outbox of SMS and email. A row is rendered and sent by whichever instance claims it
-- (lease), retried with backoff on failure, and never sent twice: `dedupe_key` is unique (one payment
-- link per order and phone, one reminder per appointment, offset and channel), and a sent row is final.
CREATE TABLE messages (
  id uuid PRIMARY KEY,
  clinic_id uuid,
  account_id uuid REFERENCES accounts(id),
  appointment_id uuid REFERENCES appointments(id),
  channel text NOT NULL CHECK (channel IN ('sms', 'email')),
  kind text NOT NULL,
  recipient text NOT NULL,
  dedupe_key text NOT NULL UNIQUE,
  payload jsonb NOT NULL,
  send_after timestamptz NOT NULL,
  status text NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'cancelled')),
  attempts integer NOT NULL DEFAULT 0,
  lease_until timestamptz,
  last_error text,
  provider_message_id text,
  sent_at timestamptz,
  created_at timestamptz NOT NULL
);
CREATE INDEX messages_due ON messages (send_after) WHERE status IN ('pending', 'sending');
CREATE INDEX messages_appointment ON messages (appointment_id) WHERE status = 'pending';

-- Reminder links (confirm / cancel without logging in): SHA-256 of the token, one per appointment.
CREATE TABLE appointment_links (
  token_hash text PRIMARY KEY,
  appointment_id uuid NOT NULL REFERENCES appointments(id),
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
ALTER TABLE appointments ADD COLUMN patient_confirmed_at timestamptz;
