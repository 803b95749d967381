package io.hotpatch.sidecar.daemon;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The daemon's settings, read only from the environment the injection webhook sets (see
 * sidecar/README.md); every problem is one line naming the variable and the fix.
 *
 * @param container the target container's name; empty = the only JVM besides this one
 * @param dir the shared volume: agent jar, startup bundles and the ready marker
 */
public record SidecarConfig(
    URI channelUrl,
    String podName,
    String podNamespace,
    String podUid,
    Path tokenFile,
    Path caFile,
    String container,
    Path dir,
    int pollWaitSeconds,
    boolean debug) {

  /** Where the app container's kubelet mounts the pod's service account token by default. */
  public static final String POD_TOKEN = "/var/run/secrets/kubernetes.io/serviceaccount/token";

  /**
   * The ephemeral container's working directory: the pod's /dev/shm, writable with a read-only
   * root.
   */
  public static final String EPHEMERAL_DIR = "/dev/shm/hotpatch";

  private static final Pattern DNS_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");

  /** Thrown for an invalid setting; the message names the variable. */
  public static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid(String message) {
      super(message);
    }
  }

  public static SidecarConfig fromEnv(Map<String, String> env) throws Invalid {
    Path token = readableFile(env, "HOTPATCH_TOKEN_FILE", "/var/run/secrets/hotpatch/token");
    Path dir = Path.of(value(env, "HOTPATCH_DIR", "/hotpatch"));
    if (!dir.isAbsolute() || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
      throw new Invalid(
          "HOTPATCH_DIR="
              + dir
              + " is not a writable directory: mount the shared"
              + " hotpatch emptyDir there (absolute path)");
    }
    return read(env, token, dir, null);
  }

  /**
   * The settings of an ephemeral container ({@code HOTPATCH_MODE=ephemeral}): no volume of its own,
   * a read-only root. Its working directory defaults to {@link #EPHEMERAL_DIR} (the pod's /dev/shm,
   * the one writable place an ephemeral container has), created if missing; the CA PEM is written
   * there; and {@code tokenFile} is the app container's service account token as a path of the
   * target's filesystem (default {@link #POD_TOKEN}), reached through {@code /proc/<pid>/root} once
   * the JVM is found.
   */
  public static SidecarConfig ephemeralFromEnv(Map<String, String> env) throws Invalid {
    Path token = Path.of(value(env, "HOTPATCH_TOKEN_FILE", POD_TOKEN));
    if (!token.isAbsolute()) {
      throw new Invalid(
          "HOTPATCH_TOKEN_FILE="
              + token
              + " is not an absolute path in the app container:"
              + " unset it for "
              + POD_TOKEN);
    }
    Path dir = Path.of(value(env, "HOTPATCH_DIR", EPHEMERAL_DIR));
    try {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (IOException | UnsupportedOperationException e) {
      // reported below
    }
    if (!dir.isAbsolute() || !Files.isDirectory(dir) || !Files.isWritable(dir)) {
      throw new Invalid(
          "HOTPATCH_DIR="
              + dir
              + " is not a writable directory: an ephemeral container"
              + " needs the pod's /dev/shm (or set HOTPATCH_DIR to a writable absolute path)");
    }
    return read(env, token, dir, dir);
  }

  /** Whether {@code HOTPATCH_MODE} asks for the ephemeral container's daemon. */
  public static boolean ephemeral(Map<String, String> env) throws Invalid {
    String mode = value(env, "HOTPATCH_MODE", "sidecar").trim().toLowerCase(Locale.ROOT);
    if (!mode.equals("sidecar") && !mode.equals("ephemeral")) {
      throw new Invalid("HOTPATCH_MODE=" + mode + " is not sidecar or ephemeral: use one of them");
    }
    return mode.equals("ephemeral");
  }

  private static SidecarConfig read(Map<String, String> env, Path token, Path dir, Path caDir)
      throws Invalid {
    URI url = channelUrl(required(env, "HOTPATCH_CHANNEL_URL"));
    String pod = dnsName(env, "HOTPATCH_POD_NAME");
    String namespace = dnsName(env, "HOTPATCH_POD_NAMESPACE");
    Path ca = caFile(env, caDir);
    String wait = value(env, "HOTPATCH_POLL_WAIT_SECONDS", "30");
    int pollWait;
    try {
      pollWait = Integer.parseInt(wait.trim());
    } catch (NumberFormatException e) {
      pollWait = -1;
    }
    if (pollWait < 1 || pollWait > 60) {
      throw new Invalid(
          "HOTPATCH_POLL_WAIT_SECONDS="
              + wait
              + " is not a number of seconds from 1"
              + " to 60: unset it for the default 30");
    }
    String level = value(env, "HOTPATCH_LOG_LEVEL", "info").trim().toLowerCase(Locale.ROOT);
    if (!level.equals("info") && !level.equals("debug")) {
      throw new Invalid("HOTPATCH_LOG_LEVEL=" + level + " is not info or debug: use one of them");
    }
    return new SidecarConfig(
        url,
        pod,
        namespace,
        env.getOrDefault("HOTPATCH_POD_UID", "").trim(),
        token,
        ca,
        env.getOrDefault("HOTPATCH_CONTAINER", "").trim(),
        dir,
        pollWait,
        level.equals("debug"));
  }

  /** Where the app JVM's startup agent reads its bundles: {@code -javaagent:...=bundles=<this>}. */
  public Path bundleDir() {
    return dir.resolve("bundles");
  }

  public Path agentJar() {
    return dir.resolve("agent").resolve("hotpatch-agent.jar");
  }

  /**
   * Written once the startup bundles match the first desired state (a startup probe can wait for
   * it).
   */
  public Path readyMarker() {
    return dir.resolve("sidecar-ready");
  }

  /** {@code <channel>/channel/v1/namespaces/<ns>/pods/<pod>/}, the prefix of every request. */
  public URI podChannel() {
    String base = channelUrl.toString().replaceAll("/+$", "");
    return URI.create(base + "/channel/v1/namespaces/" + podNamespace + "/pods/" + podName + "/");
  }

  private static URI channelUrl(String text) throws Invalid {
    URI url;
    try {
      url = URI.create(text.trim());
    } catch (IllegalArgumentException e) {
      url = null;
    }
    if (url == null
        || !"https".equals(url.getScheme())
        || url.getHost() == null
        || url.getRawQuery() != null) {
      throw new Invalid(
          "HOTPATCH_CHANNEL_URL="
              + text
              + " is not an https:// URL: set it to the"
              + " operator's channel, e.g. https://hotpatch-operator.hotpatch-system.svc:443");
    }
    return url;
  }

  /**
   * HOTPATCH_CA_PEM (the webhook copies the operator's CA into the pod spec, since a pod cannot
   * mount a Secret of the operator's namespace) wins over HOTPATCH_CA_FILE; the PEM goes to a
   * private temp file so the channel has one way to load and reload its trust.
   */
  private static Path caFile(Map<String, String> env, Path caDir) throws Invalid {
    String pem = env.get("HOTPATCH_CA_PEM");
    if (pem == null || pem.isBlank()) {
      return readableFile(env, "HOTPATCH_CA_FILE", "/var/run/secrets/hotpatch/ca.crt");
    }
    if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
      throw new Invalid(
          "HOTPATCH_CA_PEM does not hold a PEM certificate: set it to the operator's"
              + " ca.crt, or unset it and mount the certificate at HOTPATCH_CA_FILE");
    }
    try {
      Path file =
          caDir == null
              ? Files.createTempFile("hotpatch-ca", ".crt")
              : Files.createTempFile(caDir, "hotpatch-ca", ".crt");
      Files.writeString(file, pem);
      file.toFile().deleteOnExit();
      return file;
    } catch (IOException e) {
      throw new Invalid(
          "HOTPATCH_CA_PEM cannot be written to a temporary file ("
              + e.getMessage()
              + "): give the sidecar a writable /tmp (an emptyDir)");
    }
  }

  private static String dnsName(Map<String, String> env, String name) throws Invalid {
    String value = required(env, name).trim();
    if (!DNS_NAME.matcher(value).matches()) {
      throw new Invalid(
          name
              + "="
              + value
              + " is not a Kubernetes object name: set it from the"
              + " downward API (metadata.name / metadata.namespace)");
    }
    return value;
  }

  private static Path readableFile(Map<String, String> env, String name, String fallback)
      throws Invalid {
    Path file = Path.of(value(env, name, fallback));
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new Invalid(
          name
              + "="
              + file
              + " is not a readable file: mount the projected"
              + " volume there or point "
              + name
              + " at it");
    }
    return file;
  }

  private static String required(Map<String, String> env, String name) throws Invalid {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      throw new Invalid(
          name
              + " is not set: the injection webhook sets it; set it by hand when"
              + " running the sidecar outside a pod");
    }
    return value;
  }

  private static String value(Map<String, String> env, String name, String fallback) {
    String value = env.get(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
