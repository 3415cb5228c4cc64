-- USB keys ("Ukey") and HSM tokens the CA has made or uses, and the certificates on each.
-- States follow the token's life: in_stock (blank, in inventory) → active (key and certificate
-- on it, with the customer) → locked (user PIN blocked) → active again after an unlock; lost,
-- retired (taken out of service); failed (an enrollment that did not finish: must be wiped).

CREATE TABLE tokens (
    serial           TEXT PRIMARY KEY,     -- the token's own serial (PKCS#11 CK_TOKEN_INFO, SKF DEVINFO)
    driver           TEXT NOT NULL CHECK (driver IN ('pkcs11', 'skf')),
    module           TEXT NOT NULL,        -- path of the PKCS#11 / SKF library
    label            TEXT NOT NULL,
    state            TEXT NOT NULL CHECK (state IN ('in_stock', 'active', 'locked', 'lost', 'retired', 'failed')),
    so_pin_sealed    BLOB,                 -- SO / admin PIN, encrypted by the CA (never in clear)
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
) STRICT;

CREATE INDEX tokens_state ON tokens(state);

CREATE TABLE token_certificates (
    token_serial       TEXT NOT NULL REFERENCES tokens(serial),
    certificate_serial TEXT NOT NULL REFERENCES certificates(serial),
    key_id             TEXT NOT NULL,      -- CKA_ID (hex) or SKF container name
    written_at         TEXT NOT NULL,
    PRIMARY KEY (token_serial, certificate_serial)
) STRICT;

CREATE INDEX token_certificates_certificate ON token_certificates(certificate_serial);
