# intl: the algorithm policy for foreign certificates presented for
# recognition, on top of the RFC 5280 structure.  Tune the parameters
# below (or make a profile that includes this one and sets them again).
profile intl
include rfc5280

rule ALG-SIG-WEAK error | xbrg policy P-1; NIST SP 800-131A r2 | signature with MD2, MD4, MD5 or SHA-1
rule ALG-SIG-NOT-ALLOWED error | xbrg policy P-1 | signature algorithm not in the allowed list
rule ALG-KEY-NOT-ALLOWED error | xbrg policy P-2 | public key algorithm not in the allowed list
rule ALG-CURVE-NOT-ALLOWED error | xbrg policy P-2 | elliptic curve not in the allowed list
rule ALG-RSA-SMALL error | xbrg policy P-2; NIST SP 800-131A r2 | RSA modulus shorter than min_rsa_bits
rule ALG-RSA-EXPONENT error | xbrg policy P-2; RFC 8017 3.1 | RSA public exponent even or below min_rsa_exponent
rule CERT-VALIDITY-TOO-LONG error | xbrg policy P-3 | validity longer than the profile's maximum for the role

# SM2 with SM3; ECDSA and RSA with SHA-256 or stronger.
param signature_algorithms SM2-with-SM3 ecdsa-with-SHA256 ecdsa-with-SHA384 ecdsa-with-SHA512 sha256WithRSAEncryption sha384WithRSAEncryption sha512WithRSAEncryption
# RSA, EC (id-ecPublicKey) and SM2 in its 1.2.156.10197.1.301 form.
param key_algorithms rsaEncryption id-ecPublicKey SM2
# P-256, P-384, SM2 (the curve OID is also the SM2 algorithm OID).
param curves prime256v1 secp384r1 SM2
param min_rsa_bits 2048
param min_rsa_exponent 65537
# End entities: five years (1827 days); CAs: 25 years (9132 days).
param max_validity_days_ee 1827
param max_validity_days_ca 9132
