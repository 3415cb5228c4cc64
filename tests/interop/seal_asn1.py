"""An independent reading of electronic seals, written from the standards' ASN.1 with
python3-asn1crypto (Debian's), sharing nothing with eseal's C++ DER code.

  GB/T 38540-2020 §6.1 (V4):
    SESeal ::= SEQUENCE { eSealInfo SES_SealInfo, cert OCTET STRING, signAlgID OBJECT IDENTIFIER,
                          signedValue BIT STRING }
    SES_SealInfo ::= SEQUENCE { header SES_Header, esID IA5String, property SES_ESPropertyInfo,
                                picture SES_ESPictureInfo, extDatas ExtensionDatas OPTIONAL }
    SES_Header ::= SEQUENCE { ID IA5String, version INTEGER, Vid IA5String }
    SES_ESPropertyInfo ::= SEQUENCE { type INTEGER, name UTF8String, certListType INTEGER,
                                      certList SES_CertList, createDate GeneralizedTime,
                                      validStart GeneralizedTime, validEnd GeneralizedTime }
    SES_ESPictureInfo ::= SEQUENCE { type IA5String, data OCTET STRING, width INTEGER, height INTEGER }
  GB/T 38540-2020 §7.1 (V4):
    SES_Signature ::= SEQUENCE { toSign TBS_Sign, cert OCTET STRING, signatureAlgID OBJECT IDENTIFIER,
                                 signature BIT STRING, timeStamp [0] BIT STRING OPTIONAL }
    TBS_Sign ::= SEQUENCE { version INTEGER, eseal SESeal, timeInfo GeneralizedTime, dataHash BIT STRING,
                            propertyInfo IA5String, extDatas [0] ExtensionDatas OPTIONAL }
  GM/T 0031-2014 §6.1.1 (V1): SESeal ::= SEQUENCE { esealInfo, signInfo SES_SignInfo }, UTCTime dates,
    no certListType, SES_SignInfo ::= SEQUENCE { cert OCTET STRING, signatureAlgorithm OID, signData BIT STRING },
    signData over DER(SEQUENCE { SES_SealInfo, cert, signatureAlgorithm }).

Usage:
  seal_asn1.py seal FILE.esl OUTDIR [--name N] [--type T] [--signer CERT.der] [--maker CERT.der] [--size WxH]
      decodes a V4 seal, checks it, writes OUTDIR/sealinfo.der (the signed bytes), OUTDIR/seal.sig
      (the maker's DER signature) and OUTDIR/maker.der
  seal_asn1.py signature FILE DATA SEAL.esl OUTDIR [--signer CERT.der]
      decodes a V4 SES_Signature over DATA, checks it, writes OUTDIR/tbs.der, OUTDIR/tbs.sig, OUTDIR/signer.der
  seal_asn1.py make-v1|make-v4 MAKER.key MAKER.der SIGNER.der OUT [--ext]
      builds a seal the way another system would, signed with `openssl pkeyutl` (SM2, ID 1234567812345678)
Exits non-zero with a message on any mismatch."""
import datetime
import hashlib
import subprocess
import sys

from asn1crypto import core

SM2_WITH_SM3 = "1.2.156.10197.1.501"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


class SESHeader(core.Sequence):
    _fields = [("id", core.IA5String), ("version", core.Integer), ("vid", core.IA5String)]


class CertInfoList(core.SequenceOf):
    _child_spec = core.OctetString  # Cert ::= OCTET STRING (a DER certificate)


class SESESPropertyInfo(core.Sequence):
    _fields = [
        ("type", core.Integer),
        ("name", core.UTF8String),
        ("cert_list_type", core.Integer),
        ("cert_list", CertInfoList),  # SES_CertList CHOICE, the certs alternative (certListType 1)
        ("create_date", core.GeneralizedTime),
        ("valid_start", core.GeneralizedTime),
        ("valid_end", core.GeneralizedTime),
    ]


class SESESPictureInfo(core.Sequence):
    _fields = [("type", core.IA5String), ("data", core.OctetString), ("width", core.Integer), ("height", core.Integer)]


class ExtData(core.Sequence):
    _fields = [("extn_id", core.ObjectIdentifier), ("critical", core.Boolean, {"default": False}),
               ("extn_value", core.OctetString)]


class ExtensionDatas(core.SequenceOf):
    _child_spec = ExtData


class SESSealInfo(core.Sequence):
    _fields = [("header", SESHeader), ("es_id", core.IA5String), ("property", SESESPropertyInfo),
               ("picture", SESESPictureInfo), ("ext_datas", ExtensionDatas, {"optional": True})]


class SESeal(core.Sequence):
    _fields = [("e_seal_info", SESSealInfo), ("cert", core.OctetString), ("sign_alg_id", core.ObjectIdentifier),
               ("signed_value", core.OctetBitString)]


class TBSSign(core.Sequence):
    _fields = [("version", core.Integer), ("eseal", SESeal), ("time_info", core.GeneralizedTime),
               ("data_hash", core.OctetBitString), ("property_info", core.IA5String),
               ("ext_datas", ExtensionDatas, {"explicit": 0, "optional": True})]


class SESSignature(core.Sequence):
    _fields = [("to_sign", TBSSign), ("cert", core.OctetString), ("signature_alg_id", core.ObjectIdentifier),
               ("signature", core.OctetBitString), ("time_stamp", core.BitString, {"explicit": 0, "optional": True})]


# GM/T 0031-2014 (V1)
class V1PropertyInfo(core.Sequence):
    _fields = [("type", core.Integer), ("name", core.UTF8String), ("cert_list", CertInfoList),
               ("create_date", core.UTCTime), ("valid_start", core.UTCTime), ("valid_end", core.UTCTime)]


class V1SealInfo(core.Sequence):
    _fields = [("header", SESHeader), ("es_id", core.IA5String), ("property", V1PropertyInfo),
               ("picture", SESESPictureInfo)]


class V1SignInfo(core.Sequence):
    _fields = [("cert", core.OctetString), ("signature_algorithm", core.ObjectIdentifier), ("sign_data", core.OctetBitString)]


class V1Seal(core.Sequence):
    _fields = [("eseal_info", V1SealInfo), ("sign_info", V1SignInfo)]


class V1SignedPart(core.Sequence):  # what signData signs
    _fields = [("seal_info", V1SealInfo), ("cert", core.OctetString), ("signature_algorithm", core.ObjectIdentifier)]


failures = []


def check(what, ok, detail=""):
    print(("ok    " if ok else "FAIL  ") + what + (f": {detail}" if detail and not ok else ""))
    if not ok:
        failures.append(what)


def option(args, name, default=None):
    return args[args.index(name) + 1] if name in args else default


def raw_tag(value):
    """The universal tag number as encoded (asn1crypto keeps the original header)."""
    return value.contents is not None and value.dump()[0]


def read_seal(path, outdir, args):
    data = open(path, "rb").read()
    seal = SESeal.load(data, strict=True)
    info = seal["e_seal_info"]
    header = info["header"]
    prop = info["property"]
    pic = info["picture"]
    print(f"esID {info['es_id'].native}, type {prop['type'].native}, name {prop['name'].native}")
    check("re-encoding with asn1crypto gives the same DER", seal.dump(force=True) == data)
    check("header ID is ES", header["id"].native == "ES", header["id"].native)
    check("header version is 4", header["version"].native == 4, str(header["version"].native))
    check("vendor id is eseal", header["vid"].native == "eseal", header["vid"].native)
    check("esID is set", len(info["es_id"].native) > 0)
    if option(args, "--name"):
        check("name", prop["name"].native == option(args, "--name"), prop["name"].native)
    if option(args, "--type"):
        check("type", prop["type"].native == int(option(args, "--type")), str(prop["type"].native))
    check("certListType is 1 (certificates)", prop["cert_list_type"].native == 1)
    for field in ("create_date", "valid_start", "valid_end"):
        check(f"{field} is a GeneralizedTime", raw_tag(prop[field]) == 0x18)
    check("validStart <= createDate < validEnd",
          prop["valid_start"].native <= prop["create_date"].native < prop["valid_end"].native)
    if option(args, "--signer"):
        signer = open(option(args, "--signer"), "rb").read()
        check("certList holds the signer's DER certificate", [c.native for c in prop["cert_list"]] == [signer])
    check("picture type is PNG", pic["type"].native == "PNG", pic["type"].native)
    check("picture data is a PNG", pic["data"].native.startswith(PNG_MAGIC))
    if option(args, "--size"):
        w, h = (int(x) for x in option(args, "--size").split("x"))
        check(f"picture is {w} x {h} mm", (pic["width"].native, pic["height"].native) == (w, h),
              f"{pic['width'].native} x {pic['height'].native}")
    if option(args, "--maker"):
        check("cert is the maker's certificate", seal["cert"].native == open(option(args, "--maker"), "rb").read())
    check("signAlgID is SM2-with-SM3", seal["sign_alg_id"].dotted == SM2_WITH_SM3, seal["sign_alg_id"].dotted)
    signed_value = seal["signed_value"]
    check("signedValue has no unused bits", signed_value.contents[0] == 0)
    open(f"{outdir}/sealinfo.der", "wb").write(info.dump())
    open(f"{outdir}/seal.sig", "wb").write(signed_value.contents[1:])
    open(f"{outdir}/maker.der", "wb").write(seal["cert"].native)
    return data


def read_signature(path, data_path, seal_path, outdir, args):
    data = open(path, "rb").read()
    sig = SESSignature.load(data, strict=True)
    tbs = sig["to_sign"]
    check("re-encoding with asn1crypto gives the same DER", sig.dump(force=True) == data)
    check("TBS_Sign.version is 4", tbs["version"].native == 4)
    check("eseal is Seal.esl byte for byte", tbs["eseal"].dump() == open(seal_path, "rb").read())
    check("timeInfo is a GeneralizedTime", raw_tag(tbs["time_info"]) == 0x18)
    now = datetime.datetime.now(datetime.timezone.utc)
    check("timeInfo is within a minute of now", abs((now - tbs["time_info"].native).total_seconds()) < 120)
    expected = hashlib.new("sm3", open(data_path, "rb").read()).digest()
    check("dataHash is SM3 of the data", tbs["data_hash"].contents[0] == 0 and tbs["data_hash"].contents[1:] == expected)
    print(f"propertyInfo {tbs['property_info'].native}")
    if option(args, "--property"):
        check("propertyInfo", tbs["property_info"].native == option(args, "--property"))
    if option(args, "--signer"):
        check("cert is the signer's certificate", sig["cert"].native == open(option(args, "--signer"), "rb").read())
    check("signer is in the seal's certList",
          sig["cert"].native in [c.native for c in tbs["eseal"]["e_seal_info"]["property"]["cert_list"]])
    check("signatureAlgID is SM2-with-SM3", sig["signature_alg_id"].dotted == SM2_WITH_SM3)
    check("no time stamp", isinstance(sig["time_stamp"], core.Void))
    open(f"{outdir}/tbs.der", "wb").write(tbs.dump())
    open(f"{outdir}/tbs.sig", "wb").write(sig["signature"].contents[1:])
    open(f"{outdir}/signer.der", "wb").write(sig["cert"].native)


def sm2_sign(key, message):
    """SM3withSM2 with the GM ID, by the openssl CLI (not eseal)."""
    out = subprocess.run(["openssl", "pkeyutl", "-sign", "-inkey", key, "-rawin", "-digest", "sm3",
                          "-pkeyopt", "distid:1234567812345678"], input=message, capture_output=True, check=True)
    return out.stdout


def make_seal(version, key, maker_path, signer_path, out, args):
    maker = open(maker_path, "rb").read()
    signer = open(signer_path, "rb").read()
    now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
    start, end = now - datetime.timedelta(days=1), now + datetime.timedelta(days=365)
    picture = SESESPictureInfo({"type": "PNG", "data": PNG_MAGIC + b"\0" * 16, "width": 40, "height": 40})
    header = SESHeader({"id": "ES", "version": 1 if version == 1 else 4, "vid": "OtherSys"})
    if version == 1:
        prop = V1PropertyInfo({"type": 1, "name": "外部系统测试单位", "cert_list": [signer],
                               "create_date": now, "valid_start": start, "valid_end": end})
        info = V1SealInfo({"header": header, "es_id": "OTHER-V1-0001", "property": prop, "picture": picture})
        signed = V1SignedPart({"seal_info": info, "cert": maker, "signature_algorithm": SM2_WITH_SM3}).dump()
        sign_info = V1SignInfo({"cert": maker, "signature_algorithm": SM2_WITH_SM3,
                                "sign_data": sm2_sign(key, signed)})
        seal = V1Seal({"eseal_info": info, "sign_info": sign_info})
    else:
        prop = SESESPropertyInfo({"type": 1, "name": "外部系统测试单位", "cert_list_type": 1, "cert_list": [signer],
                                  "create_date": now, "valid_start": start, "valid_end": end})
        fields = {"header": header, "es_id": "OTHER-V4-0001", "property": prop, "picture": picture}
        if "--ext" in args:  # an extension as ofdrw writes it: critical always present
            fields["ext_datas"] = [ExtData({"extn_id": "1.2.3.4.5", "critical": True, "extn_value": b"vendor data"})]
        info = SESSealInfo(fields)
        seal = SESeal({"e_seal_info": info, "cert": maker, "sign_alg_id": SM2_WITH_SM3,
                       "signed_value": sm2_sign(key, info.dump())})
    open(out, "wb").write(seal.dump())
    print(f"wrote a V{version} seal to {out}")


def main():
    mode, *args = sys.argv[1:]
    if mode == "seal":
        read_seal(args[0], args[1], args)
    elif mode == "signature":
        read_signature(args[0], args[1], args[2], args[3], args)
    elif mode in ("make-v1", "make-v4"):
        make_seal(1 if mode == "make-v1" else 4, args[0], args[1], args[2], args[3], args)
    else:
        print(__doc__)
        return 2
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
