#!/usr/bin/env python3
"""Recomputes, independently of eseal, the SM3 reference digests of every signature in an OFD
document (GB/T 33190-2016 §18.2.2: References/Reference/@FileRef and CheckValue = base64 of the
digest of the file's bytes) with Python's hashlib (OpenSSL 3's SM3) and xml.etree.

usage: check_refs.py FILE.ofd [--extract DIR]
  --extract DIR  also writes each signature's Signature.xml, Seal.esl and SignedValue.dat to
                 DIR/<ID>/ for the ASN.1 and SM2 checks.
Prints one line per reference; exits 1 if any digest differs or a file is missing.
"""
import base64
import hashlib
import os
import posixpath
import sys
import xml.etree.ElementTree as ET
import zipfile

NS = {'ofd': 'http://www.ofdspec.org/2016'}
SM3_OID = '1.2.156.10197.1.401'


def resolve(referrer, loc):
    """ST_Loc: absolute from the package root, else relative to the referring file's folder."""
    path = loc.lstrip('/') if loc.startswith('/') else posixpath.join(posixpath.dirname(referrer), loc)
    return posixpath.normpath(path)


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__)
        return 2
    extract = args[args.index('--extract') + 1] if '--extract' in args else None
    z = zipfile.ZipFile(args[0])
    names = set(z.namelist())
    failures = 0
    root = ET.fromstring(z.read('OFD.xml'))
    for body in root.findall('ofd:DocBody', NS):
        sigs_loc = body.findtext('ofd:Signatures', namespaces=NS)
        if not sigs_loc:
            continue
        list_path = resolve('OFD.xml', sigs_loc.strip())
        signatures = ET.fromstring(z.read(list_path))
        for entry in signatures.findall('ofd:Signature', NS):
            sid, loc = entry.get('ID'), entry.get('BaseLoc')
            path = resolve(list_path, loc)
            sig = ET.fromstring(z.read(path))
            info = sig.find('ofd:SignedInfo', NS)
            refs = info.find('ofd:References', NS)
            method = refs.get('CheckMethod', 'MD5')
            if method != SM3_OID:
                print(f'FAIL {sid}: CheckMethod is {method}, not SM3 ({SM3_OID})')
                failures += 1
                continue
            count = 0
            for ref in refs.findall('ofd:Reference', NS):
                file_ref = ref.get('FileRef')
                target = resolve(path, file_ref)
                if target == list_path:
                    print(f'FAIL {sid}: the signature list {file_ref} is protected, so no further signature can be added')
                    failures += 1
                if target not in names:
                    print(f'FAIL {sid}: {file_ref} is missing')
                    failures += 1
                    continue
                want = base64.b64decode(ref.findtext('ofd:CheckValue', namespaces=NS).strip())
                got = hashlib.new('sm3', z.read(target)).digest()
                ok = want == got
                failures += 0 if ok else 1
                count += 1
                print(f'{"ok  " if ok else "FAIL"} {sid} {file_ref} {got.hex()[:16]}…')
            print(f'{sid}: {count} reference(s) checked ({path})')
            if extract:
                out = os.path.join(extract, sid)
                os.makedirs(out, exist_ok=True)
                open(os.path.join(out, 'Signature.xml'), 'wb').write(z.read(path))
                seal = info.find('ofd:Seal/ofd:BaseLoc', NS)
                if seal is not None:
                    open(os.path.join(out, 'Seal.esl'), 'wb').write(z.read(resolve(path, seal.text.strip())))
                value = sig.findtext('ofd:SignedValue', namespaces=NS).strip()
                open(os.path.join(out, 'SignedValue.dat'), 'wb').write(z.read(resolve(path, value)))
    print('all reference digests match' if failures == 0 else f'{failures} problem(s)')
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
