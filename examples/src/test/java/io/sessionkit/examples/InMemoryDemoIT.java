package io.sessionkit.examples;

/** The demo's behaviours with both nodes on one in-memory store. */
class InMemoryDemoIT extends DemoBehaviourSuite {
  @Override
  DemoSettings settings() {
    return DemoSettings.defaults();
  }
}
