package io.sessionkit.core;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Small, non-secret facts about the device that holds a session, set by the application and shown
 * on a "your devices" page: a device type (which {@link LoginPolicy#maxSessionsPerDeviceType()}
 * counts), a label, the user agent and the client address.
 *
 * <p>Each value is at most {@value #MAX_LENGTH} characters; control characters are rejected so that
 * the values are safe to log and to show. Immutable and thread-safe.
 */
public final class SessionMetadata {
  /** The maximum length of each value, in characters. */
  public static final int MAX_LENGTH = 256;

  private static final SessionMetadata EMPTY = new SessionMetadata(null, null, null, null);

  private final @Nullable String deviceType;
  private final @Nullable String deviceLabel;
  private final @Nullable String userAgent;
  private final @Nullable String address;

  private SessionMetadata(
      @Nullable String deviceType,
      @Nullable String deviceLabel,
      @Nullable String userAgent,
      @Nullable String address) {
    this.deviceType = check("deviceType", deviceType);
    this.deviceLabel = check("deviceLabel", deviceLabel);
    this.userAgent = check("userAgent", userAgent);
    this.address = check("address", address);
  }

  /**
   * No metadata.
   *
   * @return the empty metadata
   */
  public static SessionMetadata empty() {
    return EMPTY;
  }

  /**
   * Metadata with every value given; any may be null.
   *
   * @param deviceType a short type such as {@code "browser"} or {@code "phone"}
   * @param deviceLabel a label the user recognizes, such as {@code "Firefox on Linux"}
   * @param userAgent the User-Agent header, truncated by the caller to {@value #MAX_LENGTH}
   * @param address the client address
   * @return the metadata
   * @throws IllegalArgumentException if a value is longer than {@value #MAX_LENGTH} characters or
   *     holds a control character
   */
  public static SessionMetadata of(
      @Nullable String deviceType,
      @Nullable String deviceLabel,
      @Nullable String userAgent,
      @Nullable String address) {
    return new SessionMetadata(deviceType, deviceLabel, userAgent, address);
  }

  /**
   * Metadata with only a device type.
   *
   * @param deviceType a short type such as {@code "browser"} or {@code "phone"}
   * @return the metadata
   */
  public static SessionMetadata ofDeviceType(String deviceType) {
    return new SessionMetadata(Objects.requireNonNull(deviceType, "deviceType"), null, null, null);
  }

  /**
   * Truncates a value to {@value #MAX_LENGTH} characters and replaces control characters with
   * {@code '?'}, for callers that copy untrusted headers into metadata.
   *
   * @param value a raw value, possibly null
   * @return a value that {@link #of} accepts, or null
   */
  public static @Nullable String sanitize(@Nullable String value) {
    if (value == null) {
      return null;
    }
    String cut = value.length() > MAX_LENGTH ? value.substring(0, MAX_LENGTH) : value;
    StringBuilder sb = new StringBuilder(cut.length());
    for (int i = 0; i < cut.length(); i++) {
      char c = cut.charAt(i);
      sb.append(Character.isISOControl(c) ? '?' : c);
    }
    return sb.toString();
  }

  /**
   * @return the device type, if set
   */
  public Optional<String> deviceType() {
    return Optional.ofNullable(deviceType);
  }

  /**
   * @return the device label, if set
   */
  public Optional<String> deviceLabel() {
    return Optional.ofNullable(deviceLabel);
  }

  /**
   * @return the user agent, if set
   */
  public Optional<String> userAgent() {
    return Optional.ofNullable(userAgent);
  }

  /**
   * @return the client address, if set
   */
  public Optional<String> address() {
    return Optional.ofNullable(address);
  }

  /**
   * @return whether no value is set
   */
  public boolean isEmpty() {
    return deviceType == null && deviceLabel == null && userAgent == null && address == null;
  }

  private static @Nullable String check(String name, @Nullable String value) {
    if (value == null) {
      return null;
    }
    if (value.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          name + " is " + value.length() + " characters, over the maximum of " + MAX_LENGTH);
    }
    for (int i = 0; i < value.length(); i++) {
      if (Character.isISOControl(value.charAt(i))) {
        throw new IllegalArgumentException(name + " holds a control character at index " + i);
      }
    }
    return value;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof SessionMetadata m
        && Objects.equals(deviceType, m.deviceType)
        && Objects.equals(deviceLabel, m.deviceLabel)
        && Objects.equals(userAgent, m.userAgent)
        && Objects.equals(address, m.address);
  }

  @Override
  public int hashCode() {
    return Objects.hash(deviceType, deviceLabel, userAgent, address);
  }

  @Override
  public String toString() {
    return "SessionMetadata{deviceType="
        + deviceType
        + ", deviceLabel="
        + deviceLabel
        + ", userAgent="
        + userAgent
        + ", address="
        + address
        + '}';
  }
}
