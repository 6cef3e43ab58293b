#!/usr/bin/env node
// verify-sm2-cms.js: an INDEPENDENT verifier for xbrg's SM2 signed
// decisions.  It shares no code with OpenSSL or with xbrg: a small DER
// walker written here, and the npm package sm-crypto (pure JavaScript SM2
// and SM3) for the cryptography.
//
//   node tests/interop/verify-sm2-cms.js FILE.p7m [--cert SIGNER.der]
//
// Walks ContentInfo -> SignedData, takes the encapsulated content, the
// first certificate (or --cert), and the single SignerInfo; checks that
// the SignerInfo's serial number is the certificate's, that the algorithms
// are SM3 and SM2-with-SM3, that the messageDigest attribute equals
// SM3(content), and that the signature verifies over the signed attributes
// re-tagged as SET OF (RFC 5652 5.4) with the user ID 1234567812345678
// (GM/T 0009).  Prints one JSON line; exit 0 valid, 1 invalid, 2 error.
'use strict';
const fs = require('fs');
const path = require('path');

const smDir = process.env.SM_CRYPTO_DIR ||
    path.resolve(__dirname, '../../build/npm/node_modules/sm-crypto');
const sm = require(smDir);

const OID = {
  signedData: '2a864886f70d010702',
  data: '2a864886f70d010701',
  messageDigest: '2a864886f70d010904',
  contentType: '2a864886f70d010903',
  sm3: '2a811ccf55018311',
  sm2sm3: '2a811ccf55018375',
};

function fail(code, why) {
  process.stdout.write(JSON.stringify({ valid: false, error: why }) + '\n');
  process.exit(code);
}

// One TLV at off within [off, end): {tag, start, cstart, end}.
function tlv(buf, off, end) {
  if (off + 2 > end) throw new Error('truncated header at ' + off);
  const tag = buf[off];
  if ((tag & 0x1f) === 0x1f) throw new Error('high tag at ' + off);
  let len = buf[off + 1];
  let hl = 2;
  if (len === 0x80) throw new Error('indefinite length at ' + off);
  if (len > 0x80) {
    const nb = len & 0x7f;
    if (nb > 4 || off + 2 + nb > end) throw new Error('bad length at ' + off);
    len = 0;
    for (let i = 0; i < nb; i++) len = len * 256 + buf[off + 2 + i];
    hl += nb;
  }
  if (off + hl + len > end) throw new Error('length beyond end at ' + off);
  return { tag, start: off, cstart: off + hl, end: off + hl + len };
}

// The children of a constructed TLV.
function kids(buf, t) {
  const out = [];
  for (let off = t.cstart; off < t.end;) {
    const k = tlv(buf, off, t.end);
    out.push(k);
    off = k.end;
  }
  return out;
}

function hex(buf, t) {
  return Buffer.from(buf.subarray(t.cstart, t.end)).toString('hex');
}

function expect(t, tag, what) {
  if (t === undefined || t.tag !== tag)
    throw new Error(what + ': expected tag 0x' + tag.toString(16));
  return t;
}

function main() {
  const args = process.argv.slice(2);
  if (args.length < 1) fail(2, 'usage: verify-sm2-cms.js FILE [--cert DER]');
  let buf;
  try {
    buf = fs.readFileSync(args[0]);
  } catch (e) {
    fail(2, 'read: ' + e.message);
  }
  let res;
  try {
    res = verify(buf, args[1] === '--cert' ? fs.readFileSync(args[2]) : null);
  } catch (e) {
    fail(2, 'parse: ' + e.message);
  }
  process.stdout.write(JSON.stringify(res) + '\n');
  process.exit(res.valid ? 0 : 1);
}

function verify(buf, certArg) {
  const ci = expect(tlv(buf, 0, buf.length), 0x30, 'ContentInfo');
  if (ci.end !== buf.length) throw new Error('trailing bytes');
  const [ctype, cexp] = kids(buf, ci);
  if (hex(buf, expect(ctype, 0x06, 'contentType')) !== OID.signedData)
    throw new Error('not signedData');
  const sd = expect(kids(buf, expect(cexp, 0xa0, '[0]'))[0], 0x30,
      'SignedData');
  const sdk = kids(buf, sd);
  let i = 0;
  expect(sdk[i++], 0x02, 'version');
  expect(sdk[i++], 0x31, 'digestAlgorithms');
  const eci = kids(buf, expect(sdk[i++], 0x30, 'encapContentInfo'));
  if (hex(buf, expect(eci[0], 0x06, 'eContentType')) !== OID.data)
    throw new Error('eContentType is not id-data');
  const octets = expect(kids(buf, expect(eci[1], 0xa0, 'eContent'))[0], 0x04,
      'eContent OCTET STRING');
  const content = buf.subarray(octets.cstart, octets.end);
  let certBuf = certArg, certs = null;
  if (sdk[i].tag === 0xa0) certs = kids(buf, sdk[i++]);
  if (sdk[i].tag === 0xa1) i++;
  const sis = kids(buf, expect(sdk[i], 0x31, 'signerInfos'));
  if (sis.length !== 1) throw new Error(sis.length + ' SignerInfos');
  if (certBuf === null) {
    if (certs === null || certs.length < 1) throw new Error('no certificate');
    certBuf = buf.subarray(certs[0].start, certs[0].end);
  }

  // Certificate: serial and public key.
  const cert = expect(tlv(certBuf, 0, certBuf.length), 0x30, 'Certificate');
  const tbs = kids(certBuf, expect(kids(certBuf, cert)[0], 0x30, 'tbs'));
  let j = tbs[0].tag === 0xa0 ? 1 : 0;
  const certSerial = hex(certBuf, expect(tbs[j], 0x02, 'serial'));
  const spki = kids(certBuf, expect(tbs[j + 5], 0x30, 'spki'));
  const bits = expect(spki[1], 0x03, 'subjectPublicKey');
  const pub = Buffer.from(certBuf.subarray(bits.cstart + 1, bits.end))
      .toString('hex');
  if (pub.length !== 130 || !pub.startsWith('04'))
    throw new Error('public key is not an uncompressed point');

  // SignerInfo.
  const si = kids(buf, expect(sis[0], 0x30, 'SignerInfo'));
  const sid = kids(buf, expect(si[1], 0x30, 'issuerAndSerialNumber'));
  const sidSerial = hex(buf, expect(sid[1], 0x02, 'sid serial'));
  const dalg = hex(buf, expect(kids(buf, expect(si[2], 0x30, 'dalg'))[0],
      0x06, 'dalg oid'));
  const attrs = expect(si[3], 0xa0, 'signedAttrs');
  const salg = hex(buf, expect(kids(buf, expect(si[4], 0x30, 'salg'))[0],
      0x06, 'salg oid'));
  const sig = hex(buf, expect(si[5], 0x04, 'signature'));

  let mdAttr = null, ctAttr = null;
  for (const a of kids(buf, attrs)) {
    const [oid, set] = kids(buf, a);
    const vals = kids(buf, expect(set, 0x31, 'attr values'));
    if (hex(buf, oid) === OID.messageDigest) mdAttr = hex(buf, vals[0]);
    if (hex(buf, oid) === OID.contentType) ctAttr = hex(buf, vals[0]);
  }
  const tbsAttrs = Array.from(buf.subarray(attrs.start, attrs.end));
  tbsAttrs[0] = 0x31;	// [0] IMPLICIT -> SET OF

  const contentSm3 = sm.sm3(Array.from(content));
  const checks = {
    serial: sidSerial === certSerial,
    digest_algorithm: dalg === OID.sm3,
    signature_algorithm: salg === OID.sm2sm3,
    content_type: ctAttr === OID.data,
    message_digest: mdAttr === contentSm3,
    signature: sm.sm2.doVerifySignature(tbsAttrs, sig, pub,
        { der: true, hash: true, userId: '1234567812345678' }),
  };
  const valid = Object.values(checks).every((v) => v === true);
  return { valid, checks, content_bytes: content.length };
}

main();
