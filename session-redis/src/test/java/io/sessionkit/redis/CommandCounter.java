package io.sessionkit.redis;

import io.lettuce.core.event.command.CommandListener;
import io.lettuce.core.event.command.CommandStartedEvent;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** Counts (and records) the commands a Lettuce client sends: the measure of the command budget. */
final class CommandCounter implements CommandListener {
  private final AtomicLong count = new AtomicLong();
  private final List<String> recorded = new CopyOnWriteArrayList<>();

  @Override
  public void commandStarted(CommandStartedEvent event) {
    count.incrementAndGet();
    var args = event.getCommand().getArgs();
    recorded.add(
        event.getCommand().getType().toString()
            + (args == null ? "" : " " + args.toCommandString()));
  }

  long count() {
    return count.get();
  }

  /**
   * @return every command sent so far, with its arguments, as text
   */
  List<String> recorded() {
    return List.copyOf(recorded);
  }

  /**
   * @return the names of the commands recorded since the first {@code from} (see {@link #recorded})
   */
  List<String> namesFrom(int from) {
    List<String> all = recorded();
    return all.subList(Math.min(from, all.size()), all.size()).stream()
        .map(c -> c.split(" ", 2)[0])
        .toList();
  }

  void clear() {
    recorded.clear();
  }
}
