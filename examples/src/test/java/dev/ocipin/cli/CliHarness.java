package dev.ocipin.cli;

/** What the command-line tests share. */
final class CliHarness {
  private CliHarness() {}

  /**
   * Returns {@code args} with loopback named insecure, as a user of a plain-HTTP registry would run
   * them: MockWebServer answers no TLS question the way a real plain server does (TlsTest and
   * TlsRegistryIT cover that). Arguments that start with an option are returned as given.
   */
  static String[] plainLoopback(String... args) {
    if (args.length == 0 || args[0].startsWith("-")) {
      return args;
    }
    String[] with = new String[args.length + 2];
    with[0] = "--insecure-registry";
    with[1] = "127.0.0.0/8";
    System.arraycopy(args, 0, with, 2, args.length);
    return with;
  }
}
