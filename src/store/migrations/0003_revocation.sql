-- Revocation and the services that answer for a CA (RFC 5280 §5, RFC 6960, RFC 3161).
-- A revocation itself stays in the certificates columns of 0001 (status, revoked_at,
-- revocation_reason); this adds what those do not hold.

-- RFC 5280 §5.3.2 invalidityDate: when the key is known or suspected to have been compromised,
-- if the revoker says so. NULL: not given.
ALTER TABLE certificates ADD COLUMN invalidity_date TEXT;

-- What a CRL lists, in the order it lists it, read from the index alone (a CRL of a million
-- entries is read without touching the table).
CREATE INDEX certificates_revoked ON certificates(ca, revoked_at, serial, revocation_reason, invalidity_date)
    WHERE status = 'revoked';

-- One row per revocation, in commit order, written in the same transaction as the status change:
-- a running responder (this process or another node) polls it to learn what changed since it
-- last looked, and a CRL records the last seq it covers.
CREATE TABLE revocation_journal (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    serial      TEXT NOT NULL UNIQUE REFERENCES certificates(serial),
    ca          TEXT NOT NULL REFERENCES cas(name),
    revoked_at  TEXT NOT NULL
) STRICT;

CREATE INDEX revocation_journal_ca ON revocation_journal(ca, seq);

-- The latest CRL of each CA. number is its cRLNumber (RFC 5280 §5.2.3), which only grows;
-- revocation_seq is the highest revocation_journal.seq of the CA that the CRL includes.
CREATE TABLE crls (
    ca             TEXT PRIMARY KEY REFERENCES cas(name),
    number         INTEGER NOT NULL CHECK (number >= 1),
    this_update    TEXT NOT NULL,
    next_update    TEXT NOT NULL,
    entries        INTEGER NOT NULL,
    revocation_seq INTEGER NOT NULL,
    der            BLOB NOT NULL
) STRICT;

-- Delegated signers a CA certified for a service: its OCSP responder (RFC 6960 §4.2.2.2) and
-- its time-stamping authority (RFC 3161 §2.3). The certificate is an ordinary certificates row;
-- key_ref says where its private key is, as cas.key_ref does.
CREATE TABLE service_signers (
    certificate_serial TEXT PRIMARY KEY REFERENCES certificates(serial),
    ca                 TEXT NOT NULL REFERENCES cas(name),
    purpose            TEXT NOT NULL CHECK (purpose IN ('ocsp', 'tsa')),
    key_ref            TEXT NOT NULL,
    not_after          TEXT NOT NULL,
    created_at         TEXT NOT NULL
) STRICT;

CREATE INDEX service_signers_ca ON service_signers(ca, purpose, not_after);
