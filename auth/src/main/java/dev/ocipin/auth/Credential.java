package dev.ocipin.auth;

import java.util.Objects;

/**
 * A credential for one registry: none, a username and password, an OAuth2 identity (refresh) token,
 * or a registry (bearer) token used as is.
 *
 * <p>{@code toString()} never shows a secret: it prints the kind and, for {@link Basic}, the
 * username. Credentials are immutable.
 */
public sealed interface Credential
    permits Credential.Anonymous,
        Credential.Basic,
        Credential.IdentityToken,
        Credential.RegistryToken {

  /** Returns the anonymous credential: requests are sent without any. */
  static Credential anonymous() {
    return Anonymous.INSTANCE;
  }

  /** Returns a username and password credential. */
  static Credential basic(String username, String password) {
    return new Basic(username, password);
  }

  /**
   * Returns an OAuth2 refresh token, as {@code docker login} stores in {@code identitytoken} and
   * helpers return with the username {@code <token>}.
   */
  static Credential identityToken(String token) {
    return new IdentityToken(token);
  }

  /** Returns a bearer token sent to the registry as is, from {@code registrytoken}. */
  static Credential registryToken(String token) {
    return new RegistryToken(token);
  }

  /** Returns whether this is the anonymous credential. */
  default boolean isAnonymous() {
    return this instanceof Anonymous;
  }

  /** No credential. */
  final class Anonymous implements Credential {
    static final Anonymous INSTANCE = new Anonymous();

    private Anonymous() {}

    /** Returns {@code anonymous}. */
    @Override
    public String toString() {
      return "anonymous";
    }
  }

  /**
   * A username and password.
   *
   * @param username the user name, shown in {@code toString()}
   * @param password the password, never shown
   */
  record Basic(String username, String password) implements Credential {
    /** Checks that neither part is null. */
    public Basic {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
    }

    /** Returns {@code basic(username=NAME, password=<redacted>)}. */
    @Override
    public String toString() {
      return "basic(username=" + username + ", password=<redacted>)";
    }
  }

  /**
   * An OAuth2 refresh token, exchanged for an access token at the registry's token endpoint.
   *
   * @param token the refresh token, never shown
   */
  record IdentityToken(String token) implements Credential {
    /** Checks that the token is not null. */
    public IdentityToken {
      Objects.requireNonNull(token, "token");
    }

    /** Returns {@code identity-token(<redacted>)}. */
    @Override
    public String toString() {
      return "identity-token(<redacted>)";
    }
  }

  /**
   * A bearer token sent to the registry without any exchange.
   *
   * @param token the bearer token, never shown
   */
  record RegistryToken(String token) implements Credential {
    /** Checks that the token is not null. */
    public RegistryToken {
      Objects.requireNonNull(token, "token");
    }

    /** Returns {@code registry-token(<redacted>)}. */
    @Override
    public String toString() {
      return "registry-token(<redacted>)";
    }
  }
}
