package dev.ocipin.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RetryPolicyTest {
  private static final RetryPolicy POLICY =
      new RetryPolicy(4, Duration.ofMillis(250), Duration.ofSeconds(30), Duration.ofMinutes(2));
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-29T12:00:00Z"), ZoneOffset.UTC);

  @ParameterizedTest
  @CsvSource({
    "408, true",
    "429, true",
    "500, true",
    "502, true",
    "503, true",
    "504, true",
    "501, false",
    "404, false",
    "401, false",
    "200, false"
  })
  void retryableStatuses(int status, boolean retried) {
    assertEquals(retried, POLICY.retryable(status));
  }

  @Test
  void backoff_isFullJitterUnderAnExponentialCeiling_cappedAt30s() {
    assertEquals(Duration.ZERO, POLICY.backoff(3, () -> 0L));
    // The largest draw is the ceiling itself: base * 2^(attempt-1).
    assertEquals(Duration.ofMillis(1000), POLICY.backoff(3, new MaxRandom()));
    assertEquals(Duration.ofSeconds(30), POLICY.backoff(30, new MaxRandom()));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "42                            | PT42S",
        "-5                            | PT0S",
        "Sun, 29 Nov 2026 12:01:00 GMT | PT1M",
        "Sun, 29 Nov 2026 11:00:00 GMT | PT0S",
        "soon                          | none",
        "''                            | none",
      })
  void retryAfter_secondsOrHttpDate(String header, String expected) {
    Optional<Duration> d = RetryPolicy.retryAfter(header, CLOCK);
    assertEquals(expected, d.map(Duration::toString).orElse("none"));
  }

  @Test
  void onlyHeadAndGet_areIdempotent() {
    assertTrue(RetryPolicy.idempotent("GET") && RetryPolicy.idempotent("HEAD"));
    assertTrue(!RetryPolicy.idempotent("POST"));
  }

  /** Draws the top of every range. */
  private static final class MaxRandom implements java.util.random.RandomGenerator {
    @Override
    public long nextLong() {
      return Long.MAX_VALUE;
    }

    @Override
    public long nextLong(long bound) {
      return bound - 1;
    }
  }

  @Test
  void failures_anExplicitList() {
    assertTrue(RetryPolicy.retryable(new java.net.http.HttpTimeoutException("slow")));
    assertTrue(RetryPolicy.retryable(new java.net.http.HttpConnectTimeoutException("slow")));
    assertTrue(RetryPolicy.retryable(new java.net.ConnectException("refused")));
    assertTrue(RetryPolicy.retryable(new java.net.SocketException("Connection reset")));
    assertTrue(RetryPolicy.retryable(new java.io.EOFException("EOF")));
    assertTrue(RetryPolicy.retryable(new java.net.ProtocolException("Invalid status line")));
    assertTrue(RetryPolicy.retryable(new java.io.IOException("header parser received no bytes")));

    assertTrue(!RetryPolicy.retryable(new javax.net.ssl.SSLHandshakeException("handshake")));
    assertTrue(!RetryPolicy.retryable(new javax.net.ssl.SSLPeerUnverifiedException("peer")));
    assertTrue(
        !RetryPolicy.retryable(
            new java.io.IOException(
                "wrapped", new java.security.cert.CertificateExpiredException("expired"))));
    assertTrue(!RetryPolicy.retryable(new java.net.UnknownHostException("nowhere.example")));
    assertTrue(!RetryPolicy.retryable(new java.io.InterruptedIOException("interrupted")));
    assertTrue(!RetryPolicy.retryable(new CappedBody.TooLargeException(10)));
    assertTrue(!RetryPolicy.retryable(new IllegalStateException("bug")));
  }
}
