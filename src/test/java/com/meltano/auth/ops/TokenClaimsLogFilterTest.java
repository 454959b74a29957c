package com.meltano.auth.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

/** A refused GitLab ID token is logged by quarkus-oidc with its claims: the line stays, the claims go. */
class TokenClaimsLogFilterTest {

    @Test
    void refusedIdTokenLineKeepsTheReasonWithoutTheClaims() {
        ExtLogRecord record = new ExtLogRecord(Level.SEVERE, "ID token verification has failed: %s", ExtLogRecord.FormatStyle.PRINTF,
                TokenClaimsLogFilterTest.class.getName());
        record.setParameters(new Object[] {"JWT (claims->{\"sub\":\"42\",\"email\":\"jane@example.com\",\"groups_direct\":[\"data\"],"
                + "\"name\":{\"x\":1}}) rejected due to invalid claims. Additional details: [[17] claim nonce does not match]"});

        boolean loggable = new TokenClaimsLogFilter().isLoggable(record);

        assertThat(loggable).isTrue();
        assertThat(record.getFormattedMessage()).doesNotContain("jane@example.com").doesNotContain("groups_direct")
                .contains("ID token verification has failed").contains("claim nonce does not match");
    }

    @Test
    void refusedSignatureLineKeepsTheReasonWithoutTheToken() {
        String jws = "eyJraWQiOiJnaXRsYWIifQ.eyJlbWFpbCI6ImphbmVAZXhhbXBsZS5jb20ifQ.NAqjRhUmcmjB-_x";
        ExtLogRecord record = new ExtLogRecord(Level.SEVERE, "ID token verification has failed: %s", ExtLogRecord.FormatStyle.PRINTF,
                TokenClaimsLogFilterTest.class.getName());
        record.setParameters(new Object[] {"JWT rejected due to invalid signature. Additional details: [[9] Invalid JWS Signature:"
                + " JsonWebSignature{\"kid\":\"gitlab\"}->" + jws + "]"});

        new TokenClaimsLogFilter().isLoggable(record);

        assertThat(record.getFormattedMessage()).doesNotContain(jws).doesNotContain("eyJlbWFpbCI6")
                .contains("invalid signature").contains("(token withheld)");
    }

    @Test
    void exceptionCarryingTheTokenKeepsItsTypesAndTraceWithoutTheToken() {
        String jws = "eyJraWQiOiJnaXRsYWIifQ.eyJlbWFpbCI6ImphbmVAZXhhbXBsZS5jb20ifQ.NAqjRhUmcmjB-_x";
        ExtLogRecord record = new ExtLogRecord(Level.SEVERE, "request failed", TokenClaimsLogFilterTest.class.getName());
        IllegalStateException cause = new IllegalStateException("JWT (claims->{\"email\":\"jane@example.com\"}) rejected");
        record.setThrown(new RuntimeException("Invalid JWS Signature: ->" + jws, cause));

        new TokenClaimsLogFilter().isLoggable(record);

        java.io.StringWriter trace = new java.io.StringWriter();
        record.getThrown().printStackTrace(new java.io.PrintWriter(trace));
        assertThat(trace.toString()).doesNotContain(jws).doesNotContain("jane@example.com")
                .contains("java.lang.RuntimeException").contains("java.lang.IllegalStateException").contains("Invalid JWS Signature");
    }

    @Test
    void otherLinesUntouched() {
        ExtLogRecord record = new ExtLogRecord(Level.INFO, "bootstrap admin user and client are in place", TokenClaimsLogFilterTest.class.getName());

        new TokenClaimsLogFilter().isLoggable(record);

        assertThat(record.getFormattedMessage()).isEqualTo("bootstrap admin user and client are in place");
    }
}
