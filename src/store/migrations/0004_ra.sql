-- The business (DESIGN §5): applicants' accounts and logins, their applications with the
-- materials, identity checks and payments that go with them, and the messages sent about them.
-- Enum columns hold the ra names (ra/application.cpp, ra/ports.cpp) and CHECK them, so a row
-- the domain cannot read back is refused when written. Times are core::format_utc text, as in
-- 0001. Each change to an application writes its application_timeline lines, its outbox rows
-- and its audit event in the same transaction as the change.

-- An applicant, known by the mainland mobile number they log in with (guide §3 online step 1).
CREATE TABLE accounts (
    id         INTEGER PRIMARY KEY,
    phone      TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL
) STRICT;

-- One-time SMS login codes. Only SHA-256(salt || code) is kept; the code itself never is. The
-- phone has no account yet when its first code is sent, so it is not a reference. Counting
-- codes per phone and per client address since a time (rate limits) reads the two indexes.
CREATE TABLE login_codes (
    id         INTEGER PRIMARY KEY,
    phone      TEXT NOT NULL,
    code_hash  TEXT NOT NULL,
    salt       TEXT NOT NULL,
    client     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    attempts   INTEGER NOT NULL CHECK (attempts >= 0),
    used       INTEGER NOT NULL CHECK (used IN (0, 1))
) STRICT;

CREATE INDEX login_codes_phone ON login_codes(phone, created_at);
CREATE INDEX login_codes_client ON login_codes(client, created_at);

-- Applicant sessions, keyed by SHA-256 of the cookie value: a copy of the database does not
-- hold cookies that log anyone in. The CSRF token is not a credential on its own.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    csrf_token TEXT NOT NULL,
    client     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
) STRICT;

CREATE INDEX sessions_account ON sessions(account_id);

-- Consent to the service agreement and the privacy policy, by version (guide §3 online step 2).
-- Evidence, so every acceptance is kept, repeated ones too.
CREATE TABLE consents (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts(id),
    document   TEXT NOT NULL CHECK (document IN ('agreement', 'privacy')),
    version    TEXT NOT NULL,
    client     TEXT NOT NULL,
    at         TEXT NOT NULL
) STRICT;

CREATE INDEX consents_account ON consents(account_id, at);

-- Applications. What the staff and the queues search by has its own column; the whole form the
-- applicant filled in is `form`, ra::ApplicationForm as a JSON object (application_rows.cpp),
-- so a new form field needs no migration. organization, credit_code and handler_phone are
-- copies of form fields, written with it. account_id is NULL for an application a clerk took
-- at the counter for a walk-in customer who has no account. version counts updates: an update
-- names the version it read and is refused if the row moved on (optimistic concurrency).
CREATE TABLE applications (
    id            TEXT PRIMARY KEY,
    account_id    INTEGER REFERENCES accounts(id),
    business      TEXT NOT NULL CHECK (business IN ('new', 'renew', 'change', 'lost-key', 'unlock', 'revoke')),
    cert_type     TEXT NOT NULL CHECK (cert_type IN ('organization', 'organization-individual')),
    channel       TEXT NOT NULL CHECK (channel IN ('online', 'counter')),
    state         TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'awaiting_payment', 'paid', 'in_review',
                                                 'returned', 'approved', 'issued', 'shipped', 'delivered',
                                                 'cancelled')),
    organization  TEXT NOT NULL,
    credit_code   TEXT NOT NULL,         -- GB 32100
    handler_phone TEXT NOT NULL,
    fee_fen       INTEGER NOT NULL CHECK (fee_fen >= 0),
    version       INTEGER NOT NULL CHECK (version >= 0),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    submitted_at  TEXT,
    paid_at       TEXT,
    form          TEXT NOT NULL CHECK (json_valid(form) AND json_type(form) = 'object')
) STRICT;

CREATE INDEX applications_account ON applications(account_id, created_at);
CREATE INDEX applications_state ON applications(state, created_at);
CREATE INDEX applications_credit_code ON applications(credit_code);

-- What the applicant sees of an application's life: every transition and notable step, in the
-- order written. from_state and to_state are '' for a step that is not a transition.
CREATE TABLE application_timeline (
    id             INTEGER PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES applications(id),
    at             TEXT NOT NULL,
    actor          TEXT NOT NULL,
    from_state     TEXT NOT NULL CHECK (from_state IN ('', 'draft', 'submitted', 'awaiting_payment', 'paid',
                                                       'in_review', 'returned', 'approved', 'issued', 'shipped',
                                                       'delivered', 'cancelled')),
    to_state       TEXT NOT NULL CHECK (to_state IN ('', 'draft', 'submitted', 'awaiting_payment', 'paid',
                                                     'in_review', 'returned', 'approved', 'issued', 'shipped',
                                                     'delivered', 'cancelled')),
    event          TEXT NOT NULL,
    message        TEXT NOT NULL
) STRICT;

CREATE INDEX application_timeline_application ON application_timeline(application_id, id);

-- Uploaded materials (guide §4), one per kind per application: a new upload replaces the old.
-- The content is in the blob store under `blob` (SHA-256 hex); verdict is the reviewer's.
CREATE TABLE materials (
    application_id TEXT NOT NULL REFERENCES applications(id),
    kind           TEXT NOT NULL CHECK (kind IN ('application_form', 'business_licence', 'handler_id_front',
                                                 'handler_id_back', 'holder_id', 'payment_receipt')),
    blob           TEXT NOT NULL CHECK (length(blob) = 64),
    content_type   TEXT NOT NULL,
    size           INTEGER NOT NULL CHECK (size >= 0),
    file_name      TEXT NOT NULL,        -- as sent, for display only
    uploaded_at    TEXT NOT NULL,
    verdict        TEXT NOT NULL CHECK (verdict IN ('', 'accepted', 'rejected')),
    verdict_reason TEXT NOT NULL,
    PRIMARY KEY (application_id, kind)
) STRICT;

-- Identity (face) checks at a provider, for an application's handler or for binding a Ukey to
-- a seal (application_id NULL). A provider's callback finds its check by (provider,
-- provider_ref); a check is finished once, and a finished one has finished_at.
CREATE TABLE identity_checks (
    id             TEXT PRIMARY KEY,
    application_id TEXT REFERENCES applications(id),
    purpose        TEXT NOT NULL CHECK (purpose IN ('application', 'ukey-binding')),
    name           TEXT NOT NULL,
    id_number      TEXT NOT NULL,        -- GB 11643
    provider       TEXT NOT NULL,
    provider_ref   TEXT NOT NULL,
    url            TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('pending', 'passed', 'failed')),
    detail         TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    finished_at    TEXT,
    CHECK ((status = 'pending') = (finished_at IS NULL))
) STRICT;

CREATE UNIQUE INDEX identity_checks_provider_ref ON identity_checks(provider, provider_ref)
    WHERE provider_ref <> '';
CREATE INDEX identity_checks_application ON identity_checks(application_id, created_at);

-- Payment orders. order_no is ours (WeChat Pay / Alipay out_trade_no); transaction_id is the
-- provider's, NULL until paid, and unique: one provider payment settles one order, so a
-- replayed notification cannot be booked against a second order.
CREATE TABLE payments (
    order_no       TEXT PRIMARY KEY,
    application_id TEXT NOT NULL REFERENCES applications(id),
    method         TEXT NOT NULL CHECK (method IN ('wechat', 'alipay', 'bank_transfer', 'counter')),
    amount_fen     INTEGER NOT NULL CHECK (amount_fen >= 0),
    status         TEXT NOT NULL CHECK (status IN ('created', 'paid', 'refunding', 'refunded', 'closed', 'rejected')),
    qr_content     TEXT NOT NULL,
    transaction_id TEXT CHECK (transaction_id <> ''),
    receipt_blob   TEXT NOT NULL,        -- bank transfer: the uploaded receipt's blob id, or ''
    refund_no      TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    paid_at        TEXT,
    refunded_at    TEXT
) STRICT;

CREATE UNIQUE INDEX payments_transaction ON payments(transaction_id) WHERE transaction_id IS NOT NULL;
CREATE INDEX payments_application ON payments(application_id, created_at);

-- Messages (SMS, e-mail) written in the same transaction as the change they report, and sent
-- after the commit: a change is never reported without happening, and a crash between commit
-- and send leaves the message here to be sent later. Unsent rows are read fewest attempts
-- first, so a message that keeps failing does not hold up the ones behind it.
CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY,
    channel         TEXT NOT NULL CHECK (channel IN ('sms', 'email')),
    recipient       TEXT NOT NULL,       -- phone or e-mail address
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    attachment_name TEXT NOT NULL,
    attachment_blob TEXT NOT NULL,       -- blob id, or ''
    created_at      TEXT NOT NULL,
    sent_at         TEXT,
    provider_ref    TEXT NOT NULL,
    attempts        INTEGER NOT NULL CHECK (attempts >= 0),
    last_error      TEXT NOT NULL
) STRICT;

CREATE INDEX outbox_unsent ON outbox(attempts, id) WHERE sent_at IS NULL;
