-- Certification authorities, the certificates they issue, and the hash-chained audit log.
-- Times are ISO-8601 UTC text ("2026-11-25T19:21:05Z", core::format_utc): fixed width, so text
-- order is time order and range queries work on the indexes. STRICT: a CA's records keep the
-- types they were written with.

CREATE TABLE cas (
    name        TEXT PRIMARY KEY,
    parent      TEXT REFERENCES cas(name),  -- NULL for a root
    algorithm   TEXT NOT NULL,              -- crypto::to_string(KeyAlgorithm)
    key_ref     TEXT NOT NULL,
    serial      TEXT NOT NULL,
    subject     TEXT NOT NULL,
    not_before  TEXT NOT NULL,
    not_after   TEXT NOT NULL,
    certificate BLOB NOT NULL,              -- DER
    crl_url     TEXT NOT NULL,
    ocsp_url    TEXT NOT NULL,
    created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE certificates (
    serial            TEXT PRIMARY KEY,     -- lowercase hex
    ca                TEXT NOT NULL REFERENCES cas(name),
    profile           TEXT NOT NULL,
    subject           TEXT NOT NULL,        -- RFC 2253
    organization      TEXT NOT NULL,
    credit_code       TEXT NOT NULL,        -- GB 32100, '' if none
    person_name       TEXT NOT NULL,
    person_id         TEXT NOT NULL,        -- GB 11643, '' if none
    key_sha256        TEXT NOT NULL UNIQUE, -- one certificate per key
    not_before        TEXT NOT NULL,
    not_after         TEXT NOT NULL,
    issued_at         TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('valid', 'revoked')),
    revoked_at        TEXT,
    revocation_reason TEXT NOT NULL,        -- RFC 5280 §5.3.1 name, '' if none
    der               BLOB NOT NULL
) STRICT;

CREATE INDEX certificates_subject ON certificates(subject);
CREATE INDEX certificates_credit_code ON certificates(credit_code);
CREATE INDEX certificates_status ON certificates(status);
CREATE INDEX certificates_not_after ON certificates(not_after);
CREATE INDEX certificates_ca ON certificates(ca);

-- hash = SHA-256 over (id, at, actor, action, object, detail, prev_hash), see audit_log.hpp.
-- AUTOINCREMENT keeps a high-water mark in sqlite_sequence, so deleting the newest rows shows.
CREATE TABLE audit_events (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    object    TEXT NOT NULL,
    detail    TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
) STRICT;
