package dev.ocipin.lock;

import java.io.IOException;

/**
 * A lock file that cannot be read, or one that does not answer what a build asks of it (an image
 * declared but not locked, or locked for another reference). The message names the file, the line
 * where there is one, and how to fix it.
 */
public final class LockFileException extends IOException {
  private static final long serialVersionUID = 1L;

  LockFileException(String message) {
    super(message);
  }

  LockFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
