-- 0060-face-template-refresh: templates added to an enrolment by confirmed face check-ins (issue 14,
-- part 3; the clinic setting faceTemplateRefresh, off by default). The encrypted blob holds the desk's
-- samples first and then at most 2 refreshed templates; refresh_count says how many of the trailing
-- descriptors are refreshed ones. A re-enrolment at the desk resets it to 0.
ALTER TABLE face_enrolments ADD COLUMN refresh_count INTEGER NOT NULL DEFAULT 0 CHECK (refresh_count >= 0);
