-- Issue 13: the check-in's ticket number is the day's largest ticket + 1
-- (appointments/repo.ts lastTicketNumber: ticket IS NOT NULL AND arrived_at in the clinic day).
-- Without an index every check-in scanned the whole appointments table inside its write transaction.
CREATE INDEX appointments_ticket_arrived_at ON appointments(arrived_at) WHERE ticket IS NOT NULL;
