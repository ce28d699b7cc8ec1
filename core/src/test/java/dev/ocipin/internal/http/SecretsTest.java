package dev.ocipin.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SecretsTest {
  @Test
  void scrubsEveryOccurrence_longestFirst() {
    Secrets s = new Secrets();
    s.add("abcd");
    s.add("abcdefgh");
    assertEquals("x <redacted> y <redacted> z", s.scrub("x abcdefgh y abcd z"));
  }

  @Test
  void authorizationHeader_isRememberedWithoutItsScheme() {
    Secrets s = new Secrets();
    s.addAuthorization("Bearer tok9abc");
    assertEquals("Bearer <redacted>", s.scrub("Bearer tok9abc"));
  }

  @Test
  void tooShortValues_areNotScrubbed() {
    Secrets s = new Secrets();
    s.add("abc");
    assertEquals("abc", s.scrub("abc"));
  }

  @Test
  void cleanBody_isTheSameArray() {
    Secrets s = new Secrets();
    s.add("hunter2pw");
    byte[] clean = "nothing here".getBytes(StandardCharsets.UTF_8);
    assertSame(clean, s.scrub(clean));
    assertEquals(
        "pw: <redacted>",
        new String(
            s.scrub("pw: hunter2pw".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8));
  }

  @Test
  void keepsTheMostRecentlySent_upToTheCap() {
    Secrets s = new Secrets();
    s.add("first-secret");
    for (int i = 0; i < Secrets.CAP - 1; i++) {
      s.add("token-" + i);
    }
    s.add("first-secret"); // sent again: the most recent now
    s.add("one-more-token"); // evicts token-0, the least recently sent
    assertEquals("<redacted> <redacted> token-0", s.scrub("first-secret one-more-token token-0"));
  }
}
