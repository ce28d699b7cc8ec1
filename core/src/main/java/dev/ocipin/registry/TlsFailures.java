package dev.ocipin.registry;

import java.io.EOFException;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * What a TLS failure means for the user, instead of the JDK's PKIX text: the server speaks no TLS,
 * or its certificate is expired, not yet valid, from an unknown issuer, or for another host.
 */
final class TlsFailures {
  private TlsFailures() {}

  /** The kinds of TLS failure a user can act on. */
  enum Kind {
    /** The server answered the TLS handshake with something that is not TLS (plain HTTP). */
    NOT_TLS("does not speak TLS"),
    EXPIRED("sent a certificate that has expired"),
    NOT_YET_VALID("sent a certificate that is not valid yet (check the clocks)"),
    UNKNOWN_ISSUER("sent a certificate from an issuer that is not trusted"),
    WRONG_HOST("sent a certificate for another host name"),
    OTHER("failed the TLS handshake");

    private final String text;

    Kind(String text) {
      this.text = text;
    }
  }

  /** Classifies {@code failure} (or a cause of it), or empty when it is not a TLS failure. */
  static Optional<Kind> classify(Throwable failure) {
    boolean tls = false;
    for (Throwable c = failure; c != null; c = c.getCause()) {
      if (c instanceof CertificateExpiredException
          || (c instanceof CertPathValidatorException
              && ((CertPathValidatorException) c).getReason()
                  == CertPathValidatorException.BasicReason.EXPIRED)) {
        return Optional.of(Kind.EXPIRED);
      }
      if (c instanceof CertificateNotYetValidException
          || (c instanceof CertPathValidatorException
              && ((CertPathValidatorException) c).getReason()
                  == CertPathValidatorException.BasicReason.NOT_YET_VALID)) {
        return Optional.of(Kind.NOT_YET_VALID);
      }
      if (c instanceof CertPathBuilderException
          || (c instanceof CertPathValidatorException
              && ((CertPathValidatorException) c).getReason()
                  == CertPathValidatorException.BasicReason.UNDETERMINED_REVOCATION_STATUS)) {
        return Optional.of(Kind.UNKNOWN_ISSUER);
      }
      String msg = String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT);
      if (c instanceof java.security.cert.CertificateException
          && (msg.contains("no subject alternative") || msg.contains("no name matching"))) {
        return Optional.of(Kind.WRONG_HOST);
      }
      if (c instanceof java.security.cert.CertificateException
          && msg.contains("unable to find valid certification path")) {
        return Optional.of(Kind.UNKNOWN_ISSUER);
      }
      if (c instanceof SSLException) {
        tls = true;
      }
    }
    if (!tls) {
      return Optional.empty();
    }
    for (Throwable c = failure; c != null; c = c.getCause()) {
      String msg = String.valueOf(c.getMessage()).toLowerCase(Locale.ROOT);
      if (msg.contains("unrecognized ssl message")
          || msg.contains("unsupported or unrecognized")
          || msg.contains("remote host terminated the handshake")
          || (c instanceof EOFException && c.getCause() == null)) {
        return Optional.of(Kind.NOT_TLS);
      }
    }
    return Optional.of(Kind.OTHER);
  }

  /**
   * The message for a TLS failure of {@code what} at {@code hostAndPort}: what failed, and for a
   * certificate how to add trust.
   */
  static String message(String what, String hostAndPort, Kind kind, Trust trust, Throwable cause) {
    String head = what + ": registry " + hostAndPort + " " + kind.text;
    switch (kind) {
      case NOT_TLS:
        return head
            + "; reach it over plain HTTP with insecureRegistry(\""
            + hostAndPort
            + "\") (--insecure-registry on the command line)";
      case UNKNOWN_ISSUER:
        return head + "; to trust it, " + trust.howToTrust(hostAndPort);
      case EXPIRED:
      case NOT_YET_VALID:
        return head + "; the registry's operator must renew it";
      case WRONG_HOST:
        return head
            + " ("
            + ResponseErrors.describe(rootCause(cause))
            + "); reach it by a name its certificate lists";
      default:
        return head + " (" + ResponseErrors.describe(rootCause(cause)) + ")";
    }
  }

  private static Throwable rootCause(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && c.getCause() != c) {
      c = c.getCause();
    }
    return c;
  }
}
