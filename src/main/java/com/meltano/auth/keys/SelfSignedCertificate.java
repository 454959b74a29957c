package com.meltano.auth.keys;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.Provider;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

import com.meltano.auth.config.SigningAlgorithm;

/**
 * The minimal X.509 v1 certificate (RFC 5280 section 4.1) that the JDK's PKCS#11 key store needs
 * beside a private key to find it again by label (SPEC section 15). Nobody validates it: it only
 * carries the public key, and it is signed inside the token like everything else.
 */
final class SelfSignedCertificate {

    private static final byte[] SHA256_WITH_RSA = {0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x0b};
    private static final byte[] ECDSA_WITH_SHA256 = {0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x04, 0x03, 0x02};
    private static final byte[] COMMON_NAME = {0x55, 0x04, 0x03};

    private SelfSignedCertificate() {
    }

    static X509Certificate create(SigningAlgorithm alg, KeyPair pair, String name, Provider provider) throws GeneralSecurityException {
        byte[] algorithm = alg == SigningAlgorithm.RS256
                ? seq(tlv(0x06, SHA256_WITH_RSA), new byte[] {0x05, 0x00})
                : seq(tlv(0x06, ECDSA_WITH_SHA256));
        byte[] dn = seq(tlv(0x31, seq(tlv(0x06, COMMON_NAME), tlv(0x0c, name.getBytes(StandardCharsets.UTF_8)))));
        byte[] validity = seq(tlv(0x17, "260101000000Z".getBytes(StandardCharsets.US_ASCII)),
                tlv(0x18, "99991231235959Z".getBytes(StandardCharsets.US_ASCII)));
        byte[] tbs = seq(tlv(0x02, BigInteger.ONE.toByteArray()), algorithm, dn, validity, dn, pair.getPublic().getEncoded());
        Signature signature = Signature.getInstance(alg == SigningAlgorithm.RS256 ? "SHA256withRSA" : "SHA256withECDSA", provider);
        signature.initSign(pair.getPrivate());
        signature.update(tbs);
        byte[] signed = signature.sign();
        byte[] bitString = new byte[signed.length + 1];
        System.arraycopy(signed, 0, bitString, 1, signed.length);
        byte[] der = seq(tbs, algorithm, tlv(0x03, bitString));
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    private static byte[] seq(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return tlv(0x30, out.toByteArray());
    }

    /** DER tag, definite length, value. */
    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int n = value.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n & 0xff);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }
}
