package dev.ocipin.model;

import java.util.List;
import org.immutables.value.Value;

/**
 * An image manifest (OCI or Docker schema 2): one config and its layers.
 *
 * <p>Manifests are immutable and thread-safe.
 */
@Value.Immutable
public abstract non-sealed class ImageManifest implements Manifest {
  ImageManifest() {}

  /** Returns a new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link ImageManifest}; the config is required. */
  public static final class Builder extends ImmutableImageManifest.Builder {
    Builder() {}
  }

  @Override
  @Value.Default
  public int schemaVersion() {
    return 2;
  }

  /** Returns the descriptor of the image configuration. */
  public abstract Descriptor config();

  /** Returns the layers, base first. */
  public abstract List<Descriptor> layers();
}
