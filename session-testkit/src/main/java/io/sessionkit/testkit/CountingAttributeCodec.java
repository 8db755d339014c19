package io.sessionkit.testkit;

import io.sessionkit.core.AttributeCodec;
import io.sessionkit.core.AttributeDecodingException;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * An {@link AttributeCodec} that counts, per attribute name, how many times another codec is asked
 * to encode and to decode: for tests that pin how often a layer encodes a change. It can also be
 * told to refuse to decode an attribute, as a codec refuses a stored value whose type was taken off
 * its allowlist.
 *
 * <pre>{@code
 * CountingAttributeCodec codec = new CountingAttributeCodec(JsonAttributeCodec.defaults());
 * SessionStore store = InMemorySessionStore.create(SessionConfig.builder().codec(codec).build());
 * store.update(id, SessionChanges.builder().set("theme", "dark").build());
 * assert codec.encodings("theme") == 1;
 * }</pre>
 *
 * <p>Thread-safe. {@code equals} is identity: two counting codecs never count for each other.
 */
public final class CountingAttributeCodec implements AttributeCodec {
  private final AttributeCodec delegate;
  private final Map<String, LongAdder> encodings = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> decodings = new ConcurrentHashMap<>();
  private final Set<String> refused = ConcurrentHashMap.newKeySet();

  /**
   * @param delegate the codec that does the work
   */
  public CountingAttributeCodec(AttributeCodec delegate) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
  }

  @Override
  public String encode(String name, Object value) {
    encodings.computeIfAbsent(name, n -> new LongAdder()).increment();
    return delegate.encode(name, value);
  }

  @Override
  public Object decode(String name, String encoded) {
    decodings.computeIfAbsent(name, n -> new LongAdder()).increment();
    if (refused.contains(name)) {
      throw new AttributeDecodingException(
          name, "attribute '" + name + "' is refused by the test's codec", null);
    }
    return delegate.decode(name, encoded);
  }

  /**
   * @param name an attribute name
   * @return how many times a value of that attribute was encoded since the last {@link #reset()}
   */
  public long encodings(String name) {
    LongAdder n = encodings.get(name);
    return n == null ? 0 : n.sum();
  }

  /**
   * @return how many values were encoded, all attributes together, since the last {@link #reset()}
   */
  public long encodings() {
    return encodings.values().stream().mapToLong(LongAdder::sum).sum();
  }

  /**
   * @param name an attribute name
   * @return how many times a value of that attribute was decoded since the last {@link #reset()}
   */
  public long decodings(String name) {
    LongAdder n = decodings.get(name);
    return n == null ? 0 : n.sum();
  }

  /**
   * From now on, decoding this attribute fails with an {@link AttributeDecodingException} (it is
   * still counted), as for a stored value whose type the application no longer allows.
   *
   * @param name the attribute name
   */
  public void refuseToDecode(String name) {
    refused.add(Objects.requireNonNull(name, "name"));
  }

  /** Sets every count to zero. */
  public void reset() {
    encodings.clear();
    decodings.clear();
  }

  @Override
  public String toString() {
    return "CountingAttributeCodec{" + delegate + '}';
  }
}
