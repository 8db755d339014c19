package io.sessionkit.redis.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts of the store, each {@code prelude.lua} followed by its own file under {@code
 * io/sessionkit/redis/}. Run with EVALSHA by {@link RedisIo}, which falls back to EVAL (and so
 * reloads the script) on NOSCRIPT.
 *
 * <p><b>Strict keys (a test mode).</b> With the system property {@value #STRICT_PROPERTY} set to
 * {@code all}, every script starts with {@code strict.lua}, which makes any access to a key not
 * declared in {@code KEYS} fail the script ("strict keys: undeclared key ..."); {@code sessions}
 * does so for the session scripts only. Read once, when this class loads. Never set in production:
 * it costs a few table lookups per command and exists to prove the scripts portable to servers that
 * refuse undeclared keys.
 */
public enum LuaScript {
  ACCESS("access", true),
  CREATE("create", true),
  UPDATE("update", true),
  DELETE("delete", true),
  RENEW("renew", true),
  LOGIN("login", true),
  LIST("list", true),
  DELETE_ALL("delete_all", true),
  CHECK("check", false),
  WATERMARK("watermark", false),
  MARK("mark", false),
  ISSUE("issue", false),
  ROTATE("rotate", false),
  REVOKE_FAMILY("revoke_family", false),
  COUNT("count", false);

  /** The system property that turns strict keys on: {@code all}, or {@code sessions}. */
  public static final String STRICT_PROPERTY = "sessionkit.redis.strictKeys";

  private final String fileName;
  private final String source;
  private final String sha;
  private final boolean strict;

  LuaScript(String name, boolean sessionScript) {
    this.fileName = name + ".lua";
    String mode = System.getProperty(STRICT_PROPERTY, "");
    this.strict = mode.equals("all") || (mode.equals("sessions") && sessionScript);
    this.source = (strict ? read("strict.lua") : "") + read("prelude.lua") + read(fileName);
    this.sha = sha1(source);
  }

  /**
   * @return whether this script runs under strict keys (see the class comment)
   */
  public boolean strict() {
    return strict;
  }

  /**
   * @return the script text sent by EVAL
   */
  public String source() {
    return source;
  }

  /**
   * @return the SHA-1 of the text, as EVALSHA expects
   */
  public String sha() {
    return sha;
  }

  @Override
  public String toString() {
    return fileName;
  }

  private static String read(String file) {
    String path = "/io/sessionkit/redis/" + file;
    try (InputStream in = LuaScript.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha1(String s) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-1", e);
    }
  }
}
