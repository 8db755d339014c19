package io.sessionkit.core.internal;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * States how a method's result depends on null arguments, in JetBrains' contract syntax, for
 * NullAway (which reads any annotation named {@code Contract}): {@code @Contract("null, _ ->
 * false")} says the method returns false when its first argument is null, so a caller that sees
 * true may use that argument as non-null. NullAway trusts the contract and does not check it: keep
 * it true.
 */
@Documented
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.METHOD)
public @interface Contract {
  /**
   * The contract clauses.
   *
   * @return the clauses, for example {@code "null, _ -> false"}
   */
  String value();
}
