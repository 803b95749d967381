package io.hotpatch.agent;

import io.hotpatch.core.AgentVersion;
import java.io.File;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.util.Properties;

/**
 * The agent's state for the life of the JVM, shared by startup mode and every later attach: the
 * registry, the latest Instrumentation and the one load-time transformer.
 */
final class AgentRuntime {
  private static final AgentRuntime INSTANCE = new AgentRuntime();

  /** The version of the agent whose classes run: fixed for the JVM's life, whatever jar is offered later. */
  static final String VERSION = ownVersion();

  private final PatchRegistry registry = new PatchRegistry();
  private PatchEngine engine;
  private boolean loadedAtStartup;
  private boolean transformerAdded;

  static AgentRuntime get() {
    return INSTANCE;
  }

  synchronized void startup(String agentArgs, Instrumentation inst) {
    loadedAtStartup = true;
    use(inst);
    for (File file : StartupBundles.files(agentArgs, registry)) {
      String problem = StartupBundles.register(file, registry);
      if (problem != null) {
        registry.warn(problem);
        StartupNotice.print(problem);
      }
    }
  }

  synchronized Properties handle(String agentArgs, Instrumentation inst) {
    use(inst);
    return new RequestHandler(engine, registry, loadedAtStartup, VERSION).handle(agentArgs);
  }

  private static String ownVersion() {
    try {
      String version = AgentVersion.read(HotPatchAgent.class.getResourceAsStream("agent-version.properties"));
      return version.isEmpty() ? "unknown" : version;
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** Each attach brings a new Instrumentation: keep the latest; the transformer is added once. */
  private void use(Instrumentation inst) {
    InstrumentationJvm jvm = new InstrumentationJvm(inst);
    engine = new PatchEngine(jvm, registry);
    if (!transformerAdded) {
      inst.addTransformer(new LoadTimeSubstitutor(registry, jvm.definer()), false);
      transformerAdded = true;
    }
  }
}
