package dev.ocipin;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Thrown when text is not a valid image reference, digest or platform.
 *
 * <p>The exception carries the {@linkplain #input() input}, the {@linkplain #reason() reason} and,
 * where one part of the input is to blame, that {@linkplain #offendingPart() part}. The message
 * reads like {@code repository name must be lowercase: Ghcr.io/OWNER/img → OWNER}.
 */
public final class InvalidReferenceException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String input;
  private final String reason;
  private final @Nullable String offendingPart;

  /**
   * Creates an exception for {@code input}, rejected for {@code reason}.
   *
   * @param input the text that was rejected
   * @param reason why, in words a user can act on
   * @param offendingPart the part of the input to blame, or {@code null} when the whole input is
   */
  public InvalidReferenceException(String input, String reason, @Nullable String offendingPart) {
    super(format(input, reason, offendingPart));
    this.input = input;
    this.reason = reason;
    this.offendingPart = offendingPart;
  }

  /**
   * Creates an exception for {@code input}, rejected for {@code reason} as a whole.
   *
   * @param input the text that was rejected
   * @param reason why, in words a user can act on
   */
  public InvalidReferenceException(String input, String reason) {
    this(input, reason, null);
  }

  private static String format(String input, String reason, @Nullable String part) {
    String shown = input.isEmpty() ? "\"\"" : input;
    if (part == null || part.equals(input)) {
      return reason + ": " + shown;
    }
    return reason + ": " + shown + " → " + part;
  }

  /** Returns the text that was rejected. */
  public String input() {
    return input;
  }

  /** Returns why the input was rejected. */
  public String reason() {
    return reason;
  }

  /** Returns the part of the input to blame, if the fault lies in one part. */
  public Optional<String> offendingPart() {
    return Optional.ofNullable(offendingPart);
  }
}
