# gmt0015: GM/T 0015-2012 (SM2 certificate format) and GB/T 20518 for CA,
# signing and encryption end-entity certificates.  Clauses follow the 2012
# text (riboseinc/gmt-0015-2012); ../shared/gm-cert-profile-notes.md has
# the requirement table this profile implements (row numbers "n#" below).
#
# Where the standard's prose, tables and examples disagree, the severity
# below records the choice, with the reason.  Real roots (NRCAC national
# root, CFCA CS SM2 CA) break several table rules; a gateway that
# recognises them must report those as warnings, not reject the roots.
profile gmt0015
include rfc5280

# n#22: prose and Table C.1 want basicConstraints critical in CA
# certificates, but the national root (NRCAC) and CFCA's roots mark it
# non-critical.  RFC 5280 says error; here a warning.
severity CERT-BC-CA-NOT-CRITICAL warn
# n#17: keyUsage criticality conflicts (prose: issuer's choice; Table A.3:
# critical for dual certificates only; Tables C: TRUE).  One warning of our
# own replaces RFC 5280's.
drop CERT-KU-NOT-CRITICAL
rule GMT-KU-NOT-CRITICAL warn | GM/T 0015-2012 5.2.4.2 (KeyUsage); Tables A.3, C.1-C.4 | keyUsage not critical (tables mark it TRUE; prose leaves it to the issuer)
# n#16: Table C lists SKI in end-entity certificates too: must, not should.
severity CERT-SKI-MISSING-EE error

# Algorithms (n#4, n#4a, n#5, n#6, n#7)
rule ALG-SIG-WEAK error | GM/T 0015-2012 Tables C.1-C.5; GB/T 20518-2018 foreword | SHA-1 or MD5 signature (sha1WithRSA is in the 2012 tables; dropped in GB/T 20518-2018 and by the commercial-cryptography rules)
rule ALG-SIG-NOT-ALLOWED error | GM/T 0015-2012 Tables C.1-C.5 | signature algorithm not in the tables (SM3withSM2, sha256WithRSA)
rule GMT-SIG-NOT-SM2 warn | 电子认证服务密码管理办法; GM/T 0015-2012 Tables C.1-C.5 | not signed with SM3withSM2 (RSA is in the tables; commercial cryptography wants SM2)
# n#5: prose says SM3withSM2 takes no parameters, Table C says NULL is
# "not needed", the Annex D example encodes NULL, and every production
# CFCA/NRCAC/SHECA certificate carries NULL.  Accepted: info only.
rule GMT-SIG-PARAMS-NULL info | GM/T 0015-2012 5.2.2; Annex D | SM3withSM2 with NULL parameters (Annex D form; the prose wants none)
rule GMT-SIG-PARAMS error | GM/T 0015-2012 5.2.2 | SM3withSM2 with parameters other than absent or NULL
# n#6: Table C.1 names 1.2.156.10197.1.301 as the key algorithm; Annex D
# and GM/T 0010 A.2 use id-ecPublicKey with that curve.  Both accepted.
rule GMT-SPKI-OID301 info | GM/T 0015-2012 Table C.1; Annex D | SM2 key as algorithm 1.2.156.10197.1.301 (Table C form) rather than id-ecPublicKey
rule ALG-KEY-NOT-ALLOWED error | GM/T 0015-2012 Tables C.1-C.4 | public key is neither SM2 nor RSA
rule ALG-CURVE-NOT-ALLOWED error | GM/T 0015-2012 Tables C.1-C.4; GM/T 0009-2012 | elliptic-curve key not on the SM2 curve
rule ALG-RSA-SMALL error | GM/T 0015-2012 Tables C.1-C.4 | RSA modulus shorter than 2048 bits
rule GMT-KEY-NOT-SM2 warn | 电子认证服务密码管理办法; GM/T 0015-2012 Tables C.1-C.4 | key is not SM2 (RSA is in the tables; commercial cryptography wants SM2)
param signature_algorithms SM2-with-SM3 sha256WithRSAEncryption sha1WithRSAEncryption
param key_algorithms id-ecPublicKey SM2 rsaEncryption
param curves SM2
param min_rsa_bits 2048

# Serial and names (n#2a, n#9)
# n#2a: four octets of serial entropy is GmSSL's rule, not the standard's.
rule GMT-SERIAL-SHORT info | GmSSL x509_cert_check (practice, not GM/T 0015) | serial number shorter than 4 octets
rule GMT-DN-NOT-UTF8 info | GM/T 0015-2012 5.2.3 (issuer) | DirectoryString not UTF8String (UTF8String preferred)

# Validity (n#12, n#12a): GM/T 0015 sets no maximum; GmSSL caps at ten
# years.  Tongsuo's test chain has 100 years.  A warning: long-lived
# end-entity keys are a risk, not a format error.  CAs: 30 years, which
# the NRCAC and CFCA roots fit.
rule CERT-VALIDITY-TOO-LONG warn | GmSSL X509_VALIDITY_MAX_DAYS (practice; no maximum in GM/T 0015-2012) | validity longer than ten years (thirty for CAs)
param max_validity_days_ee 3653
param max_validity_days_ca 10958

# Key usage per role (n#17-n#21)
rule GMT-KU-MISSING error | GM/T 0015-2012 Tables C.1-C.4 | keyUsage missing (every table lists it)
# n#18: CA tables want exactly keyCertSign and cRLSign; RFC 5280 allows
# more (digitalSignature for OCSP).  A warning.
rule GMT-CA-KU-BITS warn | GM/T 0015-2012 Tables C.1, C.2 | CA keyUsage is not exactly keyCertSign and cRLSign
rule GMT-SIGN-KU-BITS error | GM/T 0015-2012 Table C.3 | signing certificate keyUsage lacks digitalSignature or nonRepudiation, or has CA bits
rule GMT-ENC-KU-BITS error | GM/T 0015-2012 Table C.4 | encryption certificate keyUsage is not keyEncipherment, dataEncipherment and keyAgreement
rule GMT-KU-DUAL warn | GM/T 0015-2012 5.2.4.2 (KeyUsage); Annex C | one end-entity certificate for both signing and encryption (pairs are expected)
# n#23: the KU/EKU pairs of 5.2.4.2 (serverAuth: dS, kE or kA; clientAuth:
# dS or kA; OCSPSigning: dS or nR; ...).  The clause describes use, not
# issuance: a warning.
rule GMT-EKU-KU warn | GM/T 0015-2012 5.2.4.2 (extKeyUsage) | extended key usage without a key usage bit it needs
# n#22: Table A.3 marks basicConstraints non-critical in end entities;
# CFCA's BOC certificates mark it critical.  A warning.
rule GMT-EE-BC-CRITICAL warn | GM/T 0015-2012 Table A.3 | end-entity basicConstraints marked critical (Table A.3: non-critical)

# Extensions the tables require (n#24-n#27).  Real CFCA certificates lack
# some (OCA1: no policies, AIA, SIA; BOC: no AIA): warnings.
rule GMT-CP-MISSING warn | GM/T 0015-2012 Tables C.2-C.4 | certificatePolicies missing from a sub-CA or end-entity certificate
rule GMT-CP-CRITICAL error | GM/T 0015-2012 5.2.4.2 (certificatePolicies) | certificatePolicies marked critical
rule GMT-CRLDP-MISSING warn | GM/T 0015-2012 Tables C.2-C.4 | cRLDistributionPoints missing from a sub-CA or end-entity certificate
rule GMT-CRLDP-SCHEME warn | GM/T 0015-2012 5.2.4.2 (CRLDistributionPoints) | CRL distribution point URI is neither ldap:// nor http://
rule GMT-AIA-MISSING warn | GM/T 0015-2012 5.2.4.3; Tables C.2-C.4 | authorityInfoAccess missing from a sub-CA or end-entity certificate
rule GMT-SIA-MISSING warn | GM/T 0015-2012 Tables C.1, C.2 | subjectInfoAccess missing from a CA certificate

# Criticality (n#29, n#30)
rule GMT-EXT-CRITICAL-UNLISTED error | GM/T 0015-2012 Annex C | critical extension that the tables do not list
rule GMT-ID-EXT-CRITICAL error | GM/T 0015-2012 5.2.4.2 (IdentifyCode ... TaxationNumber) | Chinese identity extension marked critical
