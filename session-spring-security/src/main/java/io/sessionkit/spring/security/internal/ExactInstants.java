package io.sessionkit.spring.security.internal;

import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.cfg.MapperBuilder;
import tools.jackson.databind.module.SimpleModule;

/**
 * Writes {@code java.time} values as ISO-8601 text instead of the decimal timestamps Spring
 * Security's core module asks for. Read back through default typing, a decimal timestamp passes
 * through a {@code double} and loses its last digits: a {@code FactorGrantedAuthority} issued at
 * {@code .123456789} would come back issued at {@code .123456700}, and no longer equal. Registered
 * after Spring Security's modules, so that it has the last word. Both forms are still read.
 */
public final class ExactInstants extends SimpleModule {
  private static final long serialVersionUID = 1L;

  /** Creates the module. */
  public ExactInstants() {
    super(ExactInstants.class.getName());
  }

  @Override
  public void setupModule(SetupContext context) {
    super.setupModule(context);
    ((MapperBuilder<?, ?>) context.getOwner()).disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS);
  }
}
