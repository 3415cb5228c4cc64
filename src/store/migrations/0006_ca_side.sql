-- The CA's side of an application (issue 7; DESIGN §5): who reviewed and approved it, what it was
-- fulfilled with (the token, the new certificate, the certificate it replaced), and its parcel.
-- One row per application that reached staff; written in the same transaction as the
-- application's own row (version-checked), its timeline lines, outbox messages and audit event.
CREATE TABLE application_desk (
    application_id        TEXT PRIMARY KEY REFERENCES applications(id),
    reviewer              TEXT NOT NULL,     -- staff login that claimed the review ('' until then)
    review_started_at     TEXT,
    decided_by            TEXT NOT NULL,     -- approved or returned by
    approved_at           TEXT,
    return_reason         TEXT NOT NULL,
    counter_checked       TEXT NOT NULL CHECK (json_valid(counter_checked) AND json_type(counter_checked) = 'array'),
    fulfilled_by          TEXT NOT NULL,     -- issued / unlocked / revoked by
    fulfilled_at          TEXT,
    token_serial          TEXT NOT NULL,     -- the Ukey the certificate went onto (or was unlocked)
    token_driver          TEXT NOT NULL CHECK (token_driver IN ('', 'pkcs11', 'skf')),
    certificate_serial    TEXT NOT NULL,     -- the new certificate
    replaced_serial       TEXT NOT NULL,     -- the certificate the business concerned (renew, change, lost-key, revoke)
    replaced_reason       TEXT NOT NULL,     -- RFC 5280 reason it was revoked with, '' if not revoked
    carrier               TEXT NOT NULL,
    tracking_no           TEXT NOT NULL,
    shipped_at            TEXT,
    delivered_at          TEXT
) STRICT;

CREATE INDEX application_desk_token ON application_desk(token_serial) WHERE token_serial != '';
CREATE INDEX application_desk_certificate ON application_desk(certificate_serial) WHERE certificate_serial != '';

-- E-invoices (guide §5 fees; issue 7): one per paid payment, numbered in sequence by this table's
-- rowid. A row is reserved first (so the number is known to print), then finished with its PDF.
CREATE TABLE invoices (
    number            INTEGER PRIMARY KEY AUTOINCREMENT,
    order_no          TEXT NOT NULL UNIQUE REFERENCES payments(order_no),
    application_id    TEXT NOT NULL REFERENCES applications(id),
    buyer             TEXT NOT NULL,
    buyer_credit_code TEXT NOT NULL,
    items             TEXT NOT NULL CHECK (json_valid(items) AND json_type(items) = 'array'),
    amount_fen        INTEGER NOT NULL CHECK (amount_fen >= 0),    -- tax included
    tax_rate_permille INTEGER NOT NULL CHECK (tax_rate_permille BETWEEN 0 AND 1000),
    tax_fen           INTEGER NOT NULL CHECK (tax_fen >= 0),
    issued_at         TEXT NOT NULL,
    blob              TEXT NOT NULL                                 -- the PDF's blob id, '' until rendered
) STRICT;

CREATE INDEX invoices_application ON invoices(application_id);
