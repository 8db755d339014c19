package io.sessionkit.servlet;

import io.sessionkit.core.InMemoryTokenRevocationService;
import io.sessionkit.core.RevocationConfig;
import io.sessionkit.core.TokenRevocationService;
import io.sessionkit.servlet.testsupport.Container;

/** {@link BearerRevocationFilter} on embedded Jetty 12 over the in-memory revocation service. */
class JettyInMemoryBearerRevocationIT extends BearerRevocationSuite {
  private InMemoryTokenRevocationService service;

  @Override
  protected Container container() {
    return Container.JETTY;
  }

  @Override
  protected TokenRevocationService createService(RevocationConfig config) {
    service = InMemoryTokenRevocationService.create(config);
    return service;
  }

  @Override
  protected void closeService() {
    service.close();
  }
}
