# rfc5280: structural rules of RFC 5280 (Internet X.509 PKI certificate
# profile) for one certificate, without path validation.
#
# Format (validators/val_profile.c has the grammar):
#   rule CODE SEVERITY | CITATION | TEXT
#   param NAME VALUE...
# Codes are stable; each names a check in validators/val_cert*.c.
profile rfc5280

# Encoding and structure
rule CERT-KEY-UNDECODABLE fatal | RFC 5280 4.1.2.7 | the subject public key cannot be decoded
rule CERT-DER-STRICT error | RFC 5280 4.1; X.690 10 | the certificate is not DER (BER or non-minimal encoding)
rule CERT-VERSION-INVALID error | RFC 5280 4.1.2.1 | version is not v1, v2 or v3
rule CERT-VERSION-EXT-NOT-V3 error | RFC 5280 4.1.2.1 | extensions present but version is not v3
rule CERT-UNIQUE-ID error | RFC 5280 4.1.2.8 | issuerUniqueID or subjectUniqueID present; conforming CAs must not generate them
rule CERT-SERIAL-NOT-POSITIVE error | RFC 5280 4.1.2.2 | serial number is zero or negative
rule CERT-SERIAL-TOO-LONG error | RFC 5280 4.1.2.2 | serial number longer than 20 octets
rule CERT-SIG-ALG-MISMATCH error | RFC 5280 4.1.1.2; 4.1.2.3 | signatureAlgorithm differs from tbsCertificate.signature
rule CERT-ALG-PARAMS error | RFC 3279 2.2.1, 2.2.3, 2.3.1; RFC 5758 3.2 | algorithm parameters encoded wrongly (RSA needs NULL, ECDSA none)

# Validity
rule CERT-TIME-FORMAT error | RFC 5280 4.1.2.5.1; 4.1.2.5.2 | time is not YYMMDDHHMMSSZ / YYYYMMDDHHMMSSZ (Zulu, seconds, no fractions)
rule CERT-TIME-ENCODING error | RFC 5280 4.1.2.5 | UTCTime must be used through 2049 and GeneralizedTime from 2050
rule CERT-VALIDITY-NEGATIVE error | RFC 5280 4.1.2.5 | notAfter is before notBefore
rule CERT-NOT-YET-VALID error | RFC 5280 4.1.2.5; 6.1.3 (a)(2) | not valid yet at the given time
rule CERT-EXPIRED error | RFC 5280 4.1.2.5; 6.1.3 (a)(2) | expired at the given time

# Names
rule CERT-ISSUER-EMPTY error | RFC 5280 4.1.2.4 | issuer is an empty name
rule CERT-SUBJECT-EMPTY-NO-SAN error | RFC 5280 4.1.2.6 | empty subject without a subjectAltName
rule CERT-SUBJECT-EMPTY-SAN-NOT-CRITICAL error | RFC 5280 4.2.1.6 | empty subject and the subjectAltName is not critical
rule CERT-SAN-CRITICAL-WITH-SUBJECT warn | RFC 5280 4.2.1.6 | subjectAltName critical although the subject is not empty (should not be)
rule CERT-CA-SUBJECT-EMPTY error | RFC 5280 4.1.2.6 | a CA certificate has an empty subject
rule CERT-DN-STRING-TYPE error | RFC 5280 4.1.2.4; Appendix A | attribute value of a string type its syntax does not allow
rule CERT-DN-COUNTRY error | RFC 5280 Appendix A (X520countryName) | countryName is not a two-character PrintableString
rule CERT-DN-PRINTABLE-CHARS error | X.680 41.4; RFC 5280 Appendix A | PrintableString holds characters outside its alphabet
rule CERT-DN-LENGTH error | RFC 5280 Appendix A (ub-*) | attribute value longer than its upper bound

# Extensions
rule CERT-EXT-TOO-MANY error | RFC 5280 4.2 | more extensions than this profile examines (max_extensions)
rule CERT-EXT-DUP error | RFC 5280 4.2 | the same extension appears more than once
rule CERT-EXT-UNKNOWN-CRITICAL error | RFC 5280 4.2 | critical extension this linter does not recognise (relying parties must reject)
rule CERT-EXT-UNDECODABLE error | RFC 5280 4.2; X.690 10 | extension value does not decode or is not DER
rule CERT-BC-CA-NOT-CRITICAL error | RFC 5280 4.2.1.9 | basicConstraints of a CA certificate is not critical
rule CERT-KU-CERTSIGN-NOT-CA error | RFC 5280 4.2.1.3; 4.2.1.9 | keyCertSign without basicConstraints cA
rule CERT-CA-KU-MISSING error | RFC 5280 4.2.1.3 | CA certificate without keyUsage
rule CERT-CA-KU-NO-CERTSIGN error | RFC 5280 4.2.1.9 | CA certificate whose keyUsage lacks keyCertSign
rule CERT-KU-NOT-CRITICAL warn | RFC 5280 4.2.1.3 | keyUsage not critical (should be)
rule CERT-KU-EMPTY error | RFC 5280 4.2.1.3 | keyUsage with no bit set
rule CERT-PATHLEN-NOT-CA error | RFC 5280 4.2.1.9 | pathLenConstraint without cA or without keyCertSign
rule CERT-AKI-MISSING error | RFC 5280 4.2.1.1 | authorityKeyIdentifier missing from a certificate that is not self-issued
rule CERT-AKI-CRITICAL error | RFC 5280 4.2.1.1 | authorityKeyIdentifier marked critical
rule CERT-AKI-NO-KEYID error | RFC 5280 4.2.1.1 | authorityKeyIdentifier without keyIdentifier
rule CERT-SKI-MISSING-CA error | RFC 5280 4.2.1.2 | CA certificate without subjectKeyIdentifier
rule CERT-SKI-MISSING-EE warn | RFC 5280 4.2.1.2 | end-entity certificate without subjectKeyIdentifier (should include)
rule CERT-SKI-CRITICAL error | RFC 5280 4.2.1.2 | subjectKeyIdentifier marked critical
rule CERT-NC-NOT-CA error | RFC 5280 4.2.1.10 | nameConstraints in a certificate that is not a CA
rule CERT-NC-NOT-CRITICAL error | RFC 5280 4.2.1.10 | nameConstraints not critical
rule CERT-AIA-CRITICAL error | RFC 5280 4.2.2.1 | authorityInfoAccess marked critical
rule CERT-SIA-CRITICAL error | RFC 5280 4.2.2.2 | subjectInfoAccess marked critical
rule CERT-PC-NOT-CRITICAL error | RFC 5280 4.2.1.11 | policyConstraints not critical
rule CERT-IAP-NOT-CRITICAL error | RFC 5280 4.2.1.14 | inhibitAnyPolicy not critical
rule CERT-CRLDP-CRITICAL warn | RFC 5280 4.2.1.13 | cRLDistributionPoints critical (should not be)
rule CERT-SAN-EMPTY error | RFC 5280 4.2.1.6 | subjectAltName with no names
rule CERT-PM-NOT-CRITICAL warn | RFC 5280 4.2.1.5 | policyMappings not critical (should be)
rule CERT-PM-ANY-POLICY error | RFC 5280 4.2.1.5 | a policy mapped to or from anyPolicy
rule CERT-NC-EMPTY error | RFC 5280 4.2.1.10 | nameConstraints with neither permittedSubtrees nor excludedSubtrees
rule CERT-NC-MINIMUM error | RFC 5280 4.2.1.10 | a name constraint subtree with a minimum other than 0
rule CERT-NC-MAXIMUM error | RFC 5280 4.2.1.10 | a name constraint subtree with a maximum
rule CERT-PC-EMPTY error | RFC 5280 4.2.1.11 | policyConstraints is an empty sequence
rule CERT-SDA-CRITICAL error | RFC 5280 4.2.1.8 | subjectDirectoryAttributes marked critical
rule CERT-FRESHEST-CRL-CRITICAL error | RFC 5280 4.2.1.15 | freshestCRL marked critical
rule CERT-DP-INCOMPLETE error | RFC 5280 4.2.1.13 | a CRL distribution point with neither distributionPoint nor cRLIssuer
rule CERT-CP-DUP error | RFC 5280 4.2.1.4 | a policy OID appears more than once in certificatePolicies

# Extensions examined per certificate; more is a finding.
param max_extensions 64
