package dev.ocipin;

import java.io.IOException;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when an image has no manifest for the requested platform, nor a compatible one. The
 * message lists the platforms the image does offer.
 */
public final class NoMatchingPlatformException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Platform requested;
  private final transient List<Platform> available;

  /**
   * Creates an exception.
   *
   * @param reference the image that was resolved
   * @param requested the platform asked for
   * @param available the platforms the image offers
   */
  public NoMatchingPlatformException(
      ImageReference reference, Platform requested, List<Platform> available) {
    super(
        reference
            + " has no image for "
            + requested
            + (available.isEmpty()
                ? " (it names no platform at all)"
                : "; it offers "
                    + available.stream()
                        .map(Platform::toString)
                        .collect(Collectors.joining(", "))));
    this.requested = requested;
    this.available = List.copyOf(available);
  }

  /** Returns the platform that was asked for. */
  public Platform requested() {
    return requested;
  }

  /** Returns the platforms the image offers, in index order. */
  public List<Platform> available() {
    return available;
  }
}
