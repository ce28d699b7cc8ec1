package dev.ocipin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocketFactory;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;

/**
 * A certificate authority made for one test, and the server certificates it signs: valid ones,
 * expired ones and ones for another host, written as PEM files where a registry or a {@code
 * certs.d} directory wants them.
 */
public final class TestCertificates {
  private static final long DAY = TimeUnit.DAYS.toMillis(1);
  private final HeldCertificate ca;

  private TestCertificates(HeldCertificate ca) {
    this.ca = ca;
  }

  /** A new CA named {@code name}. */
  public static TestCertificates authority(String name) {
    return new TestCertificates(
        new HeldCertificate.Builder().certificateAuthority(0).commonName(name).build());
  }

  /** A server certificate valid now for {@code names} (host names or IP addresses). */
  public HeldCertificate server(String... names) {
    long now = System.currentTimeMillis();
    return server(now - DAY, now + DAY, names);
  }

  /** A server certificate that expired yesterday. */
  public HeldCertificate expired(String... names) {
    long now = System.currentTimeMillis();
    return server(now - 3 * DAY, now - DAY, names);
  }

  private HeldCertificate server(long notBefore, long notAfter, String... names) {
    HeldCertificate.Builder b =
        new HeldCertificate.Builder()
            .signedBy(ca)
            .commonName(names[0])
            .validityInterval(notBefore, notAfter);
    for (String n : names) {
      b.addSubjectAlternativeName(n);
    }
    return b.build();
  }

  /** Socket factory for a server presenting {@code leaf} and this CA, for MockWebServer. */
  public SSLSocketFactory serverSockets(HeldCertificate leaf) {
    return new HandshakeCertificates.Builder()
        .heldCertificate(leaf, ca.certificate())
        .build()
        .sslSocketFactory();
  }

  /** A client TLS context that trusts this CA only. */
  public javax.net.ssl.SSLContext clientContext() {
    return new HandshakeCertificates.Builder()
        .addTrustedCertificate(ca.certificate())
        .build()
        .sslContext();
  }

  /** Writes this CA's certificate to {@code file} as PEM, creating its directory. */
  public Path writeCa(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, ca.certificatePem());
    return file;
  }

  /** Writes {@code leaf}'s certificate and PKCS#8 key as {@code cert.pem} and {@code key.pem}. */
  public static Path[] writeServer(HeldCertificate leaf, Path dir) throws IOException {
    Files.createDirectories(dir);
    Path cert = Files.writeString(dir.resolve("cert.pem"), leaf.certificatePem());
    Path key = Files.writeString(dir.resolve("key.pem"), leaf.privateKeyPkcs8Pem());
    return new Path[] {cert, key};
  }
}
