-- A use of a seal the server proved from the signed document itself (POST
-- /api/v1/seals/{seal}/uses/document): a valid signature in it made with a certificate the seal
-- binds, and document_sha256 the server's hash of the uploaded file. 0: as the caller said.
ALTER TABLE seal_uses ADD COLUMN verified INTEGER NOT NULL DEFAULT 0 CHECK (verified IN (0, 1));
