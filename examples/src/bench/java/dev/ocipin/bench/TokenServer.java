package dev.ocipin.bench;

import dev.ocipin.it.TokenIssuer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The test token issuer in a JVM of its own, so that its CPU (signing a JWT per token) is not
 * counted as the client's. Prints {@code realm CERTIFICATE-PATH} on start, then answers lines on
 * stdin: {@code count} prints the token requests served, {@code mint SCOPE} a token; end of input
 * stops it.
 */
public final class TokenServer {
  private TokenServer() {}

  public static void main(String[] args) throws Exception {
    try (TokenIssuer issuer = TokenIssuer.start(Path.of(args[0]))) {
      System.out.println(issuer.realm() + " " + issuer.certificate());
      System.out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line; (line = in.readLine()) != null; ) {
        if (line.equals("count")) {
          System.out.println(issuer.requests());
        } else if (line.startsWith("mint ")) {
          System.out.println(issuer.mint(List.of(line.substring(5))));
        }
        System.out.flush();
      }
    }
  }
}
