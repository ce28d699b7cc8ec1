package dev.ocipin.maven;

import dev.ocipin.DigestResolver;
import dev.ocipin.lock.ImageLock;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/** What every goal shares: the declared images, the lock file, and how to reach registries. */
abstract class OcipinMojo extends AbstractMojo {
  /** The images of the build, each with a name, a reference and optionally one platform. */
  @Parameter List<Image> images = new ArrayList<>();

  /** The lock file, committed with the project. */
  @Parameter(property = "ocipin.lockFile", defaultValue = "${project.basedir}/ocipin.lock")
  File lockFile;

  /** Skips the goal. */
  @Parameter(property = "ocipin.skip", defaultValue = "false")
  boolean skip;

  /**
   * Registries (host, host:port or a CIDR range) reached over plain HTTP with no TLS attempt.
   * Loopback registries need no entry: they are tried over HTTPS first, then plain HTTP.
   */
  @Parameter(property = "ocipin.insecureRegistries")
  List<String> insecureRegistries = new ArrayList<>();

  /** PEM files of CA certificates to trust for every registry, besides the JVM's and certs.d. */
  @Parameter(property = "ocipin.caCertificates")
  List<File> caCertificates = new ArrayList<>();

  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  MavenSession session;

  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  MavenProject project;

  /** Decrypts settings.xml passwords; Maven injects it. */
  final SettingsDecrypter decrypter;

  OcipinMojo(SettingsDecrypter decrypter) {
    this.decrypter = decrypter;
  }

  @Override
  public final void execute() throws MojoExecutionException, MojoFailureException {
    if (skip) {
      getLog().info("ocipin: skipped (ocipin.skip)");
      return;
    }
    try {
      run();
    } catch (IllegalArgumentException e) {
      // Bad configuration or an invalid reference: the message says what is wrong.
      throw new MojoFailureException("ocipin: " + oneLine(e), e);
    } catch (IOException e) {
      throw new MojoFailureException("ocipin: " + oneLine(e), e);
    }
  }

  /** Does the goal's work. */
  abstract void run() throws IOException, MojoFailureException;

  /** The declared images, checked. */
  List<ImageLock.Declared> declared() {
    List<ImageLock.Declared> out = new ArrayList<>();
    for (Image i : images) {
      out.add(i.declared());
    }
    return out;
  }

  /** The lock file as messages name it: relative to the project when it lies within. */
  String lockName() {
    Path base = project.getBasedir().toPath().toAbsolutePath();
    Path file = lockFile.toPath().toAbsolutePath();
    return file.startsWith(base) ? base.relativize(file).toString() : file.toString();
  }

  /**
   * Refuses to go on in offline mode: goal {@code goal} needs the registry.
   *
   * @throws MojoFailureException always, when Maven is offline
   */
  void requireOnline(String goal) throws MojoFailureException {
    if (session.isOffline()) {
      throw new MojoFailureException(
          "ocipin: Maven is offline (-o), and ocipin:"
              + goal
              + " asks the registry what the tags point to; run it online. ocipin:resolve works"
              + " offline, from "
              + lockName());
    }
  }

  /**
   * A resolver that reaches registries as this build is configured to: settings.xml servers in
   * front of the default credential chain, settings.xml proxies, insecure registries and CAs.
   */
  DigestResolver resolver() {
    DigestResolver.Builder b =
        DigestResolver.builder()
            .credentials(
                SettingsCredentials.chain(session.getSettings(), decrypter, getLog()::warn));
    Optional<SettingsProxies.Configured> proxies =
        SettingsProxies.of(session.getSettings(), decrypter, getLog()::warn);
    if (proxies.isPresent()) {
      b.proxy(proxies.get().selector());
      if (proxies.get().authenticator().isPresent()) {
        b.proxyAuthenticator(proxies.get().authenticator().get());
        allowBasicForTunnels();
      }
    }
    insecureRegistries.stream()
        .map(String::strip)
        .filter(s -> !s.isEmpty())
        .forEach(b::insecureRegistry);
    caCertificates.forEach(f -> b.trustCertificates(f.toPath()));
    return b.build();
  }

  /**
   * The JDK's HTTP client refuses Basic credentials on a CONNECT tunnel (every HTTPS registry
   * behind a proxy) while {@code jdk.http.auth.tunneling.disabledSchemes} lists Basic, which it
   * does by default. settings.xml gave the proxy credentials, so the build means them to be used:
   * the property is emptied unless someone set it, as the command line does. It is read once per
   * JVM, when the first JDK HTTP client is built; a build whose JDK client started earlier keeps
   * its value, and MAVEN_OPTS=-Djdk.http.auth.tunneling.disabledSchemes= is then the way.
   */
  private void allowBasicForTunnels() {
    String property = "jdk.http.auth.tunneling.disabledSchemes";
    if (System.getProperty(property) == null) {
      System.setProperty(property, "");
      getLog().debug("ocipin: " + property + " emptied for the settings.xml proxy credentials");
    }
  }

  static String oneLine(Exception e) {
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return m.replace('\n', ' ');
  }
}
