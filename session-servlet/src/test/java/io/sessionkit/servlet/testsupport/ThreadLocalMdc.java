package io.sessionkit.servlet.testsupport;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.spi.MDCAdapter;

/**
 * A per-thread MDC as Logback and Log4j 2 keep it (not inherited by threads a thread creates),
 * installed by {@link ProbeServlet#enableMdc()} because slf4j-simple keeps none. SLF4J's own {@code
 * BasicMDCAdapter} is inheritable, so a container worker thread started while a request ran would
 * show that request's handle for ever after, which no real backend does.
 */
final class ThreadLocalMdc implements MDCAdapter {
  private final ThreadLocal<Map<String, String>> map = ThreadLocal.withInitial(HashMap::new);
  private final ThreadLocal<Map<String, Deque<String>>> deques =
      ThreadLocal.withInitial(HashMap::new);

  @Override
  public void put(String key, String val) {
    map.get().put(key, val);
  }

  @Override
  public String get(String key) {
    return map.get().get(key);
  }

  @Override
  public void remove(String key) {
    map.get().remove(key);
  }

  @Override
  public void clear() {
    map.get().clear();
  }

  @Override
  public Map<String, String> getCopyOfContextMap() {
    return new HashMap<>(map.get());
  }

  @Override
  public void setContextMap(Map<String, String> contextMap) {
    map.set(new HashMap<>(contextMap));
  }

  @Override
  public void pushByKey(String key, String value) {
    deques.get().computeIfAbsent(key, k -> new ArrayDeque<>()).push(value);
  }

  @Override
  public String popByKey(String key) {
    Deque<String> d = deques.get().get(key);
    return d == null ? null : d.poll();
  }

  @Override
  public Deque<String> getCopyOfDequeByKey(String key) {
    Deque<String> d = deques.get().get(key);
    return d == null ? null : new ArrayDeque<>(d);
  }

  @Override
  public void clearDequeByKey(String key) {
    deques.get().remove(key);
  }
}
