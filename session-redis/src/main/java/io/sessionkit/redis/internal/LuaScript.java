package io.sessionkit.redis.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The Lua scripts of the store, each {@code prelude.lua} followed by its own file under
 * {@code io/sessionkit/redis/}. Run with EVALSHA by {@link RedisIo}, which falls back to EVAL (and so
 * reloads the script) on NOSCRIPT.
 */
public enum LuaScript {
  ACCESS("access"),
  CREATE("create"),
  UPDATE("update"),
  DELETE("delete"),
  RENEW("renew"),
  TAKE("take"),
  RESTORE("restore"),
  LOGIN("login"),
  LIST("list"),
  DELETE_ALL("delete_all"),
  CHECK("check"),
  WATERMARK("watermark"),
  MARK("mark"),
  ISSUE("issue"),
  ROTATE("rotate"),
  REVOKE_FAMILY("revoke_family"),
  COUNT("count");

  private final String fileName;
  private final String source;
  private final String sha;

  LuaScript(String name) {
    this.fileName = name + ".lua";
    this.source = read("prelude.lua") + read(fileName);
    this.sha = sha1(source);
  }

  /** @return the script text sent by EVAL */
  public String source() {
    return source;
  }

  /** @return the SHA-1 of the text, as EVALSHA expects */
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
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-1", e);
    }
  }
}
