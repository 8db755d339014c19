package io.sessionkit.spring.security.internal;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;

/** Messages of codec failures: the root cause once, without the location text Jackson adds. */
public final class Failures {
  private static final Pattern STORED_CLASS =
      Pattern.compile("^\\{\"@class\":\"([A-Za-z0-9_.$]{1,256})\"");
  private static final Pattern STORED_ARRAY = Pattern.compile("^\\[\"([A-Za-z0-9_.$]{1,256})\"");
  private static final int MAX_MESSAGE = 400;

  private Failures() {}

  /**
   * The root cause of a failure: its simple class name and its own message.
   *
   * @param e the failure
   * @return e.g. {@code InvalidTypeIdException: Could not resolve type id 'x' ...}
   */
  public static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message =
        root instanceof JacksonException j ? j.getOriginalMessage() : root.getMessage();
    if (root instanceof JacksonException j && !j.getPath().isEmpty()) {
      message = message + " (at " + j.getPathReference() + ")";
    }
    if (message == null) {
      message = "(no message)";
    }
    message = message.replace('\r', ' ').replace('\n', ' ');
    if (message.length() > MAX_MESSAGE) {
      message = message.substring(0, MAX_MESSAGE) + "...";
    }
    return root.getClass().getSimpleName() + ": " + message;
  }

  /**
   * The class name a stored Spring Security value declares at its root, for messages.
   *
   * @param json the stored JSON, without the envelope
   * @return the class name, or {@code "(unknown)"}
   */
  public static String storedType(String json) {
    String head = json.length() > 300 ? json.substring(0, 300) : json;
    Matcher m = STORED_CLASS.matcher(head);
    if (m.find()) {
      return m.group(1);
    }
    m = STORED_ARRAY.matcher(head);
    return m.find() ? m.group(1) : "(unknown)";
  }
}
