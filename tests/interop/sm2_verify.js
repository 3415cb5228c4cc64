// Checks SM2 signatures with sm-crypto, an implementation that shares no code with OpenSSL,
// with the ID 1234567812345678 (GM/T 0009 §10):
//   node sm2_verify.js cert CERT.der ISSUER.der [ID]   SM3withSM2 over the DER TBSCertificate
//   node sm2_verify.js data FILE SIG.der CERT.der [ID]  a DER signature over the file's bytes
// Prints "valid" or "invalid"; exits 0 only when valid.
'use strict';
const fs = require('fs');
const { sm2 } = require('sm-crypto');

// Minimal DER reader: returns {tag, start, headerLength, length, end} of the element at `pos`.
function element(buf, pos) {
  const tag = buf[pos];
  let len = buf[pos + 1];
  let header = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[pos + 2 + i];
    header += n;
  }
  return { tag, start: pos, header, length: len, end: pos + header + len };
}

function children(buf, parent) {
  const out = [];
  for (let p = parent.start + parent.header; p < parent.end; ) {
    const e = element(buf, p);
    out.push(e);
    p = e.end;
  }
  return out;
}

function parts(der) {
  const cert = element(der, 0);
  const [tbs, , sig] = children(der, cert);
  const tbsFields = children(der, tbs);
  // TBSCertificate: [0] version, serial, signature, issuer, validity, subject, spki, ...
  const spki = tbsFields[tbsFields[0].tag === 0xa0 ? 6 : 5];
  const [, keyBits] = children(der, spki);
  return {
    tbs: der.subarray(tbs.start, tbs.end),
    // BIT STRING: one byte of unused bits (0), then the DER SM2 signature.
    signature: der.subarray(sig.start + sig.header + 1, sig.end),
    publicKey: der.subarray(keyBits.start + keyBits.header + 1, keyBits.end),
  };
}

const [mode, ...args] = process.argv.slice(2);
let message, signature, publicKey, userId;
if (mode === 'cert') {
  const [certFile, issuerFile, id = '1234567812345678'] = args;
  const cert = parts(fs.readFileSync(certFile));
  message = cert.tbs;
  signature = cert.signature;
  publicKey = parts(fs.readFileSync(issuerFile)).publicKey;
  userId = id;
} else if (mode === 'data') {
  const [dataFile, sigFile, certFile, id = '1234567812345678'] = args;
  message = fs.readFileSync(dataFile);
  signature = fs.readFileSync(sigFile);
  publicKey = parts(fs.readFileSync(certFile)).publicKey;
  userId = id;
} else {
  console.error('usage: sm2_verify.js cert CERT.der ISSUER.der [ID] | data FILE SIG.der CERT.der [ID]');
  process.exit(2);
}
const ok = sm2.doVerifySignature(Array.from(message), signature.toString('hex'), publicKey.toString('hex'),
  { der: true, hash: true, userId });
console.log(ok ? 'valid' : 'invalid');
process.exit(ok ? 0 : 1);
