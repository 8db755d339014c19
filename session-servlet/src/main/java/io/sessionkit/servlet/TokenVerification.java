package io.sessionkit.servlet;

import io.sessionkit.core.TokenClaims;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link TokenVerifier} found: a genuine token with its claims, or a token to refuse with a
 * short description for the server log (never sent to the client). Immutable and thread-safe.
 */
public final class TokenVerification {
  private final @Nullable TokenClaims claims;
  private final @Nullable String problem;

  private TokenVerification(@Nullable TokenClaims claims, @Nullable String problem) {
    this.claims = claims;
    this.problem = problem;
  }

  /**
   * A genuine token.
   *
   * @param claims its claims
   * @return the verification
   */
  public static TokenVerification valid(TokenClaims claims) {
    return new TokenVerification(Objects.requireNonNull(claims, "claims"), null);
  }

  /**
   * A token to refuse.
   *
   * @param problem why, for the server log; must not contain the token
   * @return the verification
   */
  public static TokenVerification invalid(String problem) {
    return new TokenVerification(null, Objects.requireNonNull(problem, "problem"));
  }

  /**
   * @return whether the token is genuine
   */
  public boolean isValid() {
    return claims != null;
  }

  /**
   * @return the claims of a genuine token, empty otherwise
   */
  public Optional<TokenClaims> claims() {
    return Optional.ofNullable(claims);
  }

  /**
   * @return why the token was refused, empty for a genuine token
   */
  public Optional<String> problem() {
    return Optional.ofNullable(problem);
  }

  @Override
  public String toString() {
    return claims != null
        ? "TokenVerification{valid " + claims + '}'
        : "TokenVerification{invalid: " + problem + '}';
  }
}
