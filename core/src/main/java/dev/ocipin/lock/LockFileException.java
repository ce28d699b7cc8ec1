package dev.ocipin.lock;

import java.io.IOException;

/**
 * A lock file that cannot be read, or one that does not answer what a build asks of it (an image
 * declared but not locked, or locked for another reference). The message names the file, the line
 * where there is one, and how to fix it.
 */
public final class LockFileException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with its message. */
  public LockFileException(String message) {
    super(message);
  }

  /** Creates the exception with its message and cause. */
  public LockFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
