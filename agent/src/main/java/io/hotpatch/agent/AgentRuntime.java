package io.hotpatch.agent;

import io.hotpatch.core.AgentSocketProtocol;
import io.hotpatch.core.AgentVersion;
import io.hotpatch.core.PatchResult;
import io.hotpatch.core.ResultState;
import java.io.File;
import java.lang.instrument.Instrumentation;
import java.util.Properties;

/**
 * The agent's state for the life of the JVM, shared by startup mode and every later attach: the
 * registry, the latest Instrumentation and the one load-time transformer.
 */
final class AgentRuntime {
  private static final AgentRuntime INSTANCE = new AgentRuntime();

  /**
   * The version of the agent whose classes run: fixed for the JVM's life, whatever jar is offered
   * later.
   */
  static final String VERSION = ownVersion();

  private final PatchRegistry registry = new PatchRegistry();
  private PatchEngine engine;
  private InstrumentationJvm jvm;
  private boolean loadedAtStartup;
  private boolean transformerAdded;

  static AgentRuntime get() {
    return INSTANCE;
  }

  synchronized void startup(String agentArgs, Instrumentation inst) {
    boolean first = !loadedAtStartup;
    loadedAtStartup = true;
    use(inst);
    String socketDirectory = AgentSocketProtocol.socketDirectory(agentArgs);
    if (first && socketDirectory != null) {
      String problem = AgentSocket.open(socketDirectory, this);
      if (problem != null) {
        registry.warn(problem);
        StartupNotice.print(problem);
      }
    }
    for (File file : StartupBundles.files(agentArgs, registry)) {
      String problem = StartupBundles.register(file, registry);
      if (problem != null) {
        registry.warn(problem);
        StartupNotice.print(problem);
      }
    }
  }

  /**
   * The reply to one request, naming this agent's version; never throws. {@code inst} is an
   * attach's new Instrumentation, or null for a request on the socket (the startup one serves).
   */
  Properties reply(String agentArgs, Instrumentation inst) {
    Properties reply;
    try {
      reply = handle(agentArgs, inst);
    } catch (Throwable e) {
      reply =
          PatchResult.of(
                  "unknown",
                  ResultState.FAILED,
                  "",
                  "the agent failed unexpectedly ("
                      + Throwables.describe(e)
                      + "); the JVM keeps running")
              .toProperties();
    }
    return versioned(reply);
  }

  /** Runs the apply path once on the agent's own classes, see {@link WarmUp}. */
  synchronized void warmUp() {
    WarmUp.run(engine, jvm);
  }

  static Properties versioned(Properties reply) {
    reply.setProperty(AgentVersion.REPLY_PROPERTY, VERSION);
    return reply;
  }

  private synchronized Properties handle(String agentArgs, Instrumentation inst) {
    if (inst != null) {
      use(inst);
    }
    return new RequestHandler(engine, registry, loadedAtStartup, VERSION).handle(agentArgs);
  }

  /** From the manifest the class loader read anyway: no second opening of the jar. */
  private static String ownVersion() {
    String version = HotPatchAgent.class.getPackage().getImplementationVersion();
    return version == null || version.trim().isEmpty() ? "unknown" : version.trim();
  }

  /** Each attach brings a new Instrumentation: keep the latest; the transformer is added once. */
  private void use(Instrumentation inst) {
    jvm = new InstrumentationJvm(inst);
    engine = new PatchEngine(jvm, registry);
    if (!transformerAdded) {
      inst.addTransformer(new LoadTimeSubstitutor(registry, jvm.definer()), false);
      transformerAdded = true;
    }
  }
}
