"""Parses certificates with python3-cryptography (Debian's), an X.509 parser independent of
OpenSSL's, and prints what eseal's profiles promise. Usage: python3 parse_certs.py CERT.pem...
Exits non-zero if a certificate does not parse or lacks a promised field."""
import sys

from cryptography import x509
from cryptography.x509.oid import ExtensionOID, NameOID

ORGANIZATION_IDENTIFIER = x509.ObjectIdentifier("2.5.4.97")
IDENTIFY_CODE = x509.ObjectIdentifier("1.2.156.10260.4.1.1")

failures = 0
for path in sys.argv[1:]:
    with open(path, "rb") as f:
        cert = x509.load_pem_x509_certificate(f.read())
    subject = cert.subject
    ext = cert.extensions
    problems = []
    org_id = subject.get_attributes_for_oid(ORGANIZATION_IDENTIFIER)
    if not org_id or len(org_id[0].value) != 18:
        problems.append("no 18-character organizationIdentifier")
    if subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value != "CN":
        problems.append("C is not CN")
    ku = ext.get_extension_for_oid(ExtensionOID.KEY_USAGE)
    if not (ku.critical and ku.value.digital_signature and ku.value.content_commitment):
        problems.append("keyUsage is not critical digitalSignature + nonRepudiation")
    bc = ext.get_extension_for_oid(ExtensionOID.BASIC_CONSTRAINTS)
    if bc.value.ca:
        problems.append("an end entity marked CA")
    ext.get_extension_for_oid(ExtensionOID.CRL_DISTRIBUTION_POINTS)
    ext.get_extension_for_oid(ExtensionOID.AUTHORITY_INFORMATION_ACCESS)
    ext.get_extension_for_oid(ExtensionOID.AUTHORITY_KEY_IDENTIFIER)
    ext.get_extension_for_oid(ExtensionOID.SUBJECT_KEY_IDENTIFIER)
    ident = [e for e in ext if e.oid == IDENTIFY_CODE]
    cn = subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    line = f"{path}: serial {cert.serial_number:x}, CN={cn}, organizationIdentifier={org_id[0].value if org_id else '-'}"
    if ident:
        line += f", IdentifyCode {len(ident[0].value.value)} bytes"
    if cert.serial_number.bit_length() < 120:
        problems.append(f"serial has only {cert.serial_number.bit_length()} bits")
    print(line)
    for p in problems:
        print(f"  PROBLEM: {p}")
    failures += bool(problems)
sys.exit(1 if failures else 0)
