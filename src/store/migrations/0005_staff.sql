-- CA staff (DESIGN §7): accounts with argon2id password hashes and roles, lockout state, and
-- their sessions. Staff sessions have their own table rather than a column on `sessions`:
-- sessions.account_id is NOT NULL REFERENCES accounts, and SQLite cannot relax that without
-- rebuilding the table; two tables also keep an applicant cookie from ever naming a staff member.

CREATE TABLE staff (
    id              INTEGER PRIMARY KEY,
    login           TEXT NOT NULL UNIQUE CHECK (length(login) BETWEEN 3 AND 32),
    display_name    TEXT NOT NULL,
    password_hash   TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
    locked_until    TEXT,
    created_at      TEXT NOT NULL
) STRICT;

-- One row per role held (ra::Role names).
CREATE TABLE staff_roles (
    staff_id INTEGER NOT NULL REFERENCES staff(id),
    role     TEXT NOT NULL CHECK (role IN ('reviewer', 'counter_clerk', 'issuer', 'shipper', 'ca_operator',
                                           'auditor', 'admin')),
    PRIMARY KEY (staff_id, role)
) STRICT;

-- Keyed by SHA-256 of the cookie value, as `sessions`.
CREATE TABLE staff_sessions (
    token_hash TEXT PRIMARY KEY,
    staff_id   INTEGER NOT NULL REFERENCES staff(id),
    csrf_token TEXT NOT NULL,
    client     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
) STRICT;

CREATE INDEX staff_sessions_staff ON staff_sessions(staff_id);
