-- 0110-setup-photos: practitioners' public photos for the first-run setup (issue 10, part 1). The staff's
-- own photo shown on the desk, kiosk and display (never a patient's face): a small JPEG or WebP the desk
-- resized to ≤ 256 px, at most 512 KiB. The bytes stay in the clinic (not synced); the practitioner row
-- records when the photo last changed (`photo_updated_at`, NULL: none), and that row is synced.

CREATE TABLE practitioner_photos (
  practitioner_id TEXT PRIMARY KEY REFERENCES practitioners(id),
  media_type TEXT NOT NULL CHECK (media_type IN ('image/jpeg', 'image/webp')),
  bytes BLOB NOT NULL CHECK (length(bytes) BETWEEN 1 AND 524288),
  sha256 TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

ALTER TABLE practitioners ADD COLUMN photo_updated_at TEXT;
