package dev.ocipin.registry;

import dev.ocipin.auth.internal.Home;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Which certificate authorities a registry's TLS certificate may chain to, as docker, containerd
 * and podman decide it: the JVM's trust store (the JDK's CAs, or {@code javax.net.ssl.trustStore}
 * when set), plus the caller's CA files for every registry, plus the {@code *.crt} files of the
 * registry's own directory {@code HOST[:PORT]} under each {@code certs.d} root ({@code
 * /etc/docker/certs.d}, {@code /etc/containers/certs.d}, {@code $HOME/.config/containers/certs.d}).
 *
 * <p>Immutable and thread-safe. Files are read when a registry's client is built.
 */
final class Trust {
  private final List<Path> caFiles;
  private final List<Path> certsDirs;

  /**
   * @param caFiles PEM files of CAs trusted for every registry
   * @param certsDirs the {@code certs.d} roots to look in, in order
   */
  Trust(List<Path> caFiles, List<Path> certsDirs) {
    this.caFiles = List.copyOf(caFiles);
    this.certsDirs = List.copyOf(certsDirs);
  }

  /** The {@code certs.d} roots docker, containerd and podman read, in that order. */
  static List<Path> defaultCertsDirs(Home home, FileSystem fs) {
    return List.of(
        fs.getPath("/etc/docker/certs.d"),
        fs.getPath("/etc/containers/certs.d"),
        home.path().resolve(".config").resolve("containers").resolve("certs.d"));
  }

  /** Returns the CA files that apply to {@code hostAndPort}: the caller's, then certs.d's. */
  List<Path> caFilesFor(String hostAndPort) throws IOException {
    List<Path> out = new ArrayList<>(caFiles);
    for (Path root : certsDirs) {
      Path dir = root.resolve(hostAndPort.toLowerCase(Locale.ROOT));
      List<Path> found = new ArrayList<>();
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.crt")) {
        files.forEach(found::add);
      } catch (NoSuchFileException | NotDirectoryException e) {
        continue;
      }
      found.sort(null);
      out.addAll(found);
    }
    return out;
  }

  /**
   * Returns a TLS context that trusts the JVM's CAs and the extra ones for {@code hostAndPort}, or
   * empty when there are no extra ones (the JVM's default context then serves).
   *
   * @throws RegistryException when a CA file cannot be read or holds no certificate
   */
  Optional<SSLContext> contextFor(String hostAndPort) throws RegistryException {
    List<Path> files;
    try {
      files = caFilesFor(hostAndPort);
    } catch (IOException e) {
      throw new RegistryException(
          "cannot list the CA directories for " + hostAndPort + ": " + e, 0, List.of(), e);
    }
    if (files.isEmpty()) {
      return Optional.empty();
    }
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int n = 0;
      for (Path file : files) {
        for (X509Certificate ca : read(file)) {
          store.setCertificateEntry("extra-" + n++, ca);
        }
      }
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(store);
      X509ExtendedTrustManager extra = extended(tmf.getTrustManagers());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {new ExtraThenJvm(extra)}, null);
      return Optional.of(context);
    } catch (GeneralSecurityException | IOException e) {
      throw new RegistryException(
          "cannot set up TLS trust for " + hostAndPort + ": " + e, 0, List.of(), e);
    }
  }

  private static X509ExtendedTrustManager extended(TrustManager[] managers)
      throws GeneralSecurityException {
    for (TrustManager tm : managers) {
      if (tm instanceof X509ExtendedTrustManager) {
        return (X509ExtendedTrustManager) tm;
      }
    }
    throw new GeneralSecurityException("the JVM has no X.509 trust manager");
  }

  /**
   * Trusts a chain that the extra CAs validate, else one the JVM's trust store validates, which is
   * read only then: a registry with a private CA never pays for parsing the JDK's hundred-odd CAs.
   * Both check the host name, as the JDK's trust managers do for an {@code HTTPS} engine.
   */
  private static final class ExtraThenJvm extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager extra;
    private volatile X509ExtendedTrustManager jvm;

    ExtraThenJvm(X509ExtendedTrustManager extra) {
      this.extra = extra;
    }

    private X509ExtendedTrustManager jvm() throws CertificateException {
      X509ExtendedTrustManager j = jvm;
      if (j == null) {
        try {
          TrustManagerFactory tmf =
              TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
          tmf.init((KeyStore) null);
          j = extended(tmf.getTrustManagers());
        } catch (GeneralSecurityException e) {
          throw new CertificateException("cannot read the JVM's trust store", e);
        }
        jvm = j;
      }
      return j;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      try {
        extra.checkServerTrusted(chain, authType, engine);
      } catch (CertificateException notByTheExtraCas) {
        try {
          jvm().checkServerTrusted(chain, authType, engine);
        } catch (CertificateException notByTheJvm) {
          throw telling(notByTheExtraCas, notByTheJvm);
        }
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      try {
        extra.checkServerTrusted(chain, authType, socket);
      } catch (CertificateException notByTheExtraCas) {
        try {
          jvm().checkServerTrusted(chain, authType, socket);
        } catch (CertificateException notByTheJvm) {
          throw telling(notByTheExtraCas, notByTheJvm);
        }
      }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      try {
        extra.checkServerTrusted(chain, authType);
      } catch (CertificateException notByTheExtraCas) {
        try {
          jvm().checkServerTrusted(chain, authType);
        } catch (CertificateException notByTheJvm) {
          throw telling(notByTheExtraCas, notByTheJvm);
        }
      }
    }

    /**
     * The failure that says more: the extra CAs' (an expired certificate, another host name),
     * unless they merely did not know the issuer.
     */
    private static CertificateException telling(
        CertificateException byExtra, CertificateException byJvm) {
      return TlsFailures.classify(byExtra).orElse(TlsFailures.Kind.OTHER)
              == TlsFailures.Kind.UNKNOWN_ISSUER
          ? byJvm
          : byExtra;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
        throws CertificateException {
      throw new CertificateException("ocipin is a client; it checks no client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
        throws CertificateException {
      throw new CertificateException("ocipin is a client; it checks no client certificates");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("ocipin is a client; it checks no client certificates");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return extra.getAcceptedIssuers();
    }
  }

  /**
   * Reads the certificates of a PEM (or DER) file.
   *
   * @throws RegistryException naming the file when it cannot be read or holds none
   */
  static List<X509Certificate> read(Path file) throws RegistryException {
    try (InputStream in = Files.newInputStream(file)) {
      Collection<? extends java.security.cert.Certificate> certs =
          CertificateFactory.getInstance("X.509").generateCertificates(in);
      List<X509Certificate> out = new ArrayList<>();
      for (java.security.cert.Certificate c : certs) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) {
        throw new RegistryException(
            "CA file " + file + " holds no certificate; give a PEM file with a CERTIFICATE block",
            0,
            List.of(),
            null);
      }
      return out;
    } catch (IOException e) {
      throw new RegistryException("cannot read CA file " + file + ": " + e, 0, List.of(), e);
    } catch (java.security.cert.CertificateException e) {
      throw new RegistryException(
          "CA file "
              + file
              + " is not a PEM certificate ("
              + e.getMessage()
              + "); give a PEM file with a CERTIFICATE block",
          0,
          List.of(),
          e);
    }
  }

  /** Says how a user adds trust for {@code hostAndPort}, for certificate failure messages. */
  String howToTrust(String hostAndPort) {
    String dirs =
        certsDirs.isEmpty()
            ? ""
            : "put its CA certificate in "
                + certsDirs.get(0).resolve(hostAndPort).resolve("ca.crt")
                + (certsDirs.size() > 1
                    ? " (or under " + certsDirs.get(certsDirs.size() - 1).resolve(hostAndPort) + ")"
                    : "")
                + ", or ";
    return dirs
        + "trust it with --ca-cert FILE (trustCertificates(...) in the library) or the JVM's"
        + " javax.net.ssl.trustStore";
  }
}
