package dev.quma.core.runtime;

import java.time.Duration;
import org.eclipse.microprofile.config.spi.Converter;

/**
 * Reads {@code Duration} settings written as Kuma writes them ({@code 5m}, {@code 72h}); use with
 * {@code @WithConverter(GoDurationConverter.class)} on a {@code @ConfigMapping} method.
 */
public final class GoDurationConverter implements Converter<Duration> {
  @Override
  public Duration convert(String value) {
    return GoDuration.parse(value);
  }
}
