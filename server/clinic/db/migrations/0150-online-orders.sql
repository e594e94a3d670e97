-- Payment state of online bookings (issue 9, docs/sync.md "Pull": "payment status"): central's `order`
-- feed changes, one row per order, so the desk shows "Pago online" and does not charge a patient who
-- already paid by Multibanco, MB WAY or payment link. Written only by the pull (never queued in the
-- outbox: central owns payments); `version` is central's order version (newer wins). No FK to
-- appointments: an order change may arrive in the page before its appointment. Forward-only.
CREATE TABLE online_orders (
  order_id TEXT PRIMARY KEY,
  appointment_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'paid', 'expired', 'cancelled', 'refunded')),
  amount_cents INTEGER NOT NULL CHECK (amount_cents >= 0),
  method TEXT,
  paid_at TEXT,
  version INTEGER NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX online_orders_appointment ON online_orders(appointment_id);
