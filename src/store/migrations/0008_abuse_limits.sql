-- Abuse limits that must hold across every gatehouse process sharing this database.
-- Portable SQL only (see src/store/database.h): TEXT and BIGINT columns, times in Unix seconds.

-- Password-login throttling, one row per login name that failed recently (known or not, so a
-- lock says nothing about which accounts exist). subject_hash: SHA-256 hex of the normalized
-- email, so attacker-chosen names are not stored. failures count within the window that started
-- at window_started_at; locked_until > now refuses attempts without checking a password.
-- expires_at: when the row no longer affects anything (garbage collection, by index).
CREATE TABLE login_throttles (
  subject_hash TEXT NOT NULL PRIMARY KEY,
  failures BIGINT NOT NULL,
  window_started_at BIGINT NOT NULL,
  locked_until BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX login_throttles_expires ON login_throttles (expires_at);

-- The cap on dynamically registered clients counts them by creation method.
CREATE INDEX clients_creation_method ON clients (creation_method);
