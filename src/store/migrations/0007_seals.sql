-- Electronic seals managed for organizations (issue 8; docs/seals.md): the seals themselves
-- (the current GB/T 38540 SESeal as DER), who may use each seal, every use, and the one-time
-- challenges of Ukey binding. Statuses and kinds hold the ra names (ra/seal_ports.hpp) and are
-- CHECKed. Times are core::format_utc text. Every change writes its audit event in the same
-- transaction.

-- One row per seal; `der` is the latest SESeal (re-made when a Ukey is bound), `bound` the
-- serials of the certificates in its certList, comma-separated, in order. version counts updates
-- (optimistic concurrency, as for applications).
CREATE TABLE seals (
    id             TEXT PRIMARY KEY,     -- the esID
    credit_code    TEXT NOT NULL,        -- GB 32100: the organization the seal belongs to
    organization   TEXT NOT NULL,
    admin_account  INTEGER NOT NULL REFERENCES accounts(id),
    kind           TEXT NOT NULL CHECK (kind IN ('official', 'finance', 'invoice', 'contract', 'legal-rep')),
    name           TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'revoked')),
    status_reason  TEXT NOT NULL,
    picture_source TEXT NOT NULL CHECK (picture_source IN ('generated', 'scan')),
    org_certificate TEXT NOT NULL,       -- serial of the organization certificate it was requested under
    bound          TEXT NOT NULL,
    der            BLOB NOT NULL,
    valid_start    TEXT NOT NULL,
    valid_end      TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    version        INTEGER NOT NULL CHECK (version >= 0)
) STRICT;

CREATE INDEX seals_credit_code ON seals(credit_code, created_at);

-- Named people the seal admin lets use a seal (name + mainland mobile, which is also how they log
-- in). Withdrawn authorizations are kept, with revoked_at, as evidence.
CREATE TABLE seal_authorizations (
    id          INTEGER PRIMARY KEY,
    seal_id     TEXT NOT NULL REFERENCES seals(id),
    person_name TEXT NOT NULL,
    phone       TEXT NOT NULL,
    granted_by  TEXT NOT NULL,
    granted_at  TEXT NOT NULL,
    revoked_at  TEXT
) STRICT;

CREATE INDEX seal_authorizations_seal ON seal_authorizations(seal_id, id);
CREATE UNIQUE INDEX seal_authorizations_live ON seal_authorizations(seal_id, phone) WHERE revoked_at IS NULL;

-- Every use of a seal: which document (its SHA-256), when, who, with which bound certificate.
CREATE TABLE seal_uses (
    id                 INTEGER PRIMARY KEY,
    seal_id            TEXT NOT NULL REFERENCES seals(id),
    document_sha256    TEXT NOT NULL CHECK (length(document_sha256) = 64),
    document_name      TEXT NOT NULL,
    signer             TEXT NOT NULL,
    certificate_serial TEXT NOT NULL,
    at                 TEXT NOT NULL
) STRICT;

CREATE INDEX seal_uses_seal ON seal_uses(seal_id, id);

-- Ukey binding challenges (guide §7.6): random, for one seal and one account, used once, for
-- five minutes; the face check that goes with them is an identity_checks row of purpose
-- 'ukey-binding'.
CREATE TABLE seal_binding_challenges (
    id         TEXT PRIMARY KEY,
    seal_id    TEXT NOT NULL REFERENCES seals(id),
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    challenge  TEXT NOT NULL,
    origin     TEXT NOT NULL,
    check_id   TEXT NOT NULL REFERENCES identity_checks(id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
) STRICT;
