package com.meltano.auth.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;

import org.junit.jupiter.api.Test;

import com.meltano.auth.config.SigningAlgorithm;

class SoftwareSignersTest {

    private static final byte[] INPUT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9".getBytes(StandardCharsets.US_ASCII);

    @Test
    void ofWhenLinuxOnX86ThenAwsLcSigns() {
        // the jar carries AWS-LC for this platform only; elsewhere the portable signers stand in
        assumeTrue(System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64"));

        assertThat(SoftwareSigners.nativeAvailable()).isTrue();
    }

    @Test
    void signWhenRs256ThenAwsLcSignatureIsTheJdksByteForByte() throws Exception {
        // RSASSA-PKCS1-v1_5 is deterministic: the same key and input give the same signature
        KeyPair pair = KeyMaterial.generate(SigningAlgorithm.RS256);

        byte[] fast = SoftwareSigners.of(SigningAlgorithm.RS256, pair.getPrivate()).sign(INPUT);
        byte[] portable = SoftwareSigners.portable(SigningAlgorithm.RS256, pair.getPrivate()).sign(INPUT);

        assertThat(fast).hasSize(256).isEqualTo(portable);
        assertThat(jdkVerifies("SHA256withRSA", pair.getPublic(), INPUT, fast)).isTrue();
    }

    @Test
    void signWhenEs256ThenEverySignatureOfBothSignersIsRAndSOf32BytesThatTheJdkVerifies() throws Exception {
        KeyPair pair = KeyMaterial.generate(SigningAlgorithm.ES256);
        Signer fast = SoftwareSigners.of(SigningAlgorithm.ES256, pair.getPrivate());
        Signer portable = SoftwareSigners.portable(SigningAlgorithm.ES256, pair.getPrivate());

        // r or s below 2^248 (one signature in 128) must still be written as 32 bytes each
        for (int i = 0; i < 1500; i++) {
            byte[] input = ("{\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
            for (Signer signer : new Signer[] {fast, portable}) {
                byte[] signature = signer.sign(input);
                assertThat(signature).hasSize(64);
                assertThat(jdkVerifies("SHA256withECDSAinP1363Format", pair.getPublic(), input, signature)).isTrue();
            }
        }
    }

    @Test
    void signWhenEs256TwiceThenSignaturesDifferAsEcdsaNeedsAFreshNonce() throws Exception {
        KeyPair pair = KeyMaterial.generate(SigningAlgorithm.ES256);
        Signer signer = SoftwareSigners.of(SigningAlgorithm.ES256, pair.getPrivate());

        assertThat(signer.sign(INPUT)).isNotEqualTo(signer.sign(INPUT));
    }

    @Test
    void ofWhenEs256KeyIsOnAnotherCurveThenRefused() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPair p384 = g.generateKeyPair();

        assertThatThrownBy(() -> SoftwareSigners.of(SigningAlgorithm.ES256, p384.getPrivate()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("an ES256 key that is not on P-256");
    }

    @Test
    void signWhenEdDsaThenBouncyCastleSignsAndTheJdkVerifies() throws Exception {
        KeyPair pair = KeyMaterial.generate(SigningAlgorithm.EdDSA);

        byte[] signature = SoftwareSigners.of(SigningAlgorithm.EdDSA, pair.getPrivate()).sign(INPUT);

        PublicKey jdkKey = KeyMaterial.decodePublic(SigningAlgorithm.EdDSA, pair.getPublic().getEncoded());
        assertThat(signature).hasSize(64);
        assertThat(jdkVerifies("Ed25519", jdkKey, INPUT, signature)).isTrue();
    }

    private static boolean jdkVerifies(String algorithm, PublicKey key, byte[] input, byte[] signature) throws Exception {
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(key);
        verifier.update(input);
        return verifier.verify(signature);
    }
}
