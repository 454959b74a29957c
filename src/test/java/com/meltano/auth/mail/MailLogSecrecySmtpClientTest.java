package com.meltano.auth.mail;

import com.meltano.auth.support.PostgresTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * {@link MailLogSecrecyTest} with the SMTP client's own category ({@code io.vertx.ext.mail}) set
 * to DEBUG, where it would write every line it sends, mail bodies and their links included: its
 * build-time minimum level keeps it at INFO whatever the runtime configuration says.
 */
@QuarkusTest
@QuarkusTestResource(PostgresTestResource.class)
@TestProfile(MailLogSecrecyTest.VerboseSmtpClient.class)
class MailLogSecrecySmtpClientTest extends MailLogSecrecyTest {
}
