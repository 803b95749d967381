package io.hotpatch.core;

import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The two manifests that deliver a bundle to a cluster, as one YAML stream for {@code kubectl apply
 * -f} or Git: the ConfigMap that holds the bundle in {@code binaryData} and the HotPatch that pins
 * its sha256. Reproducible: the same bundle and options always give the same bytes.
 */
public final class PatchManifests {
  /** The most a ConfigMap holds (data and binaryData together): Kubernetes refuses larger ones. */
  public static final int MAX_CONFIG_MAP_BYTES = 1 << 20;

  /** Room left in a ConfigMap for its other fields, so that the object stays under the limit. */
  private static final int CONFIG_MAP_OVERHEAD = 4096;

  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern LABEL_KEY =
      Pattern.compile(
          "([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?");
  private static final Pattern LABEL_VALUE =
      Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?");
  private static final List<String> MODES =
      java.util.Arrays.asList("Auto", "HotOnly", "RestartOnly");
  private static final String KEY = "bundle.jar";

  private final String namespace;
  private final String name;
  private final Map<String, String> selector;
  private final String mode;
  private final int canaryPods;
  private final int soakSeconds;
  private final String container;

  /**
   * Checks every option as the CRD's schema would; {@code mode} and {@code container} may be null
   * (the operator's defaults), {@code canaryPods} 0 means no canary.
   */
  public PatchManifests(
      String namespace,
      String name,
      Map<String, String> selector,
      String mode,
      int canaryPods,
      int soakSeconds,
      String container) {
    require(DNS_LABEL, namespace, "namespace", 63);
    require(DNS_SUBDOMAIN, name, "name", 253 - "-bundle".length());
    if (selector.isEmpty()) {
      throw new IllegalArgumentException(
          "the selector is empty: name the pods to patch, as app=checkout");
    }
    for (Map.Entry<String, String> label : selector.entrySet()) {
      require(LABEL_KEY, label.getKey(), "selector label key", 317);
      require(LABEL_VALUE, label.getValue(), "selector value of " + label.getKey(), 63);
    }
    if (mode != null && !MODES.contains(mode)) {
      throw new IllegalArgumentException("mode '" + mode + "' is unknown: use one of " + MODES);
    }
    if (canaryPods < 0 || soakSeconds < 0) {
      throw new IllegalArgumentException("canary pods and soak seconds must be 0 or more");
    }
    if (container != null) {
      require(DNS_LABEL, container, "container name", 63);
    }
    this.namespace = namespace;
    this.name = name;
    this.selector = Collections.unmodifiableMap(new TreeMap<String, String>(selector));
    this.mode = mode;
    this.canaryPods = canaryPods;
    this.soakSeconds = soakSeconds;
    this.container = container;
  }

  private static void require(Pattern pattern, String value, String what, int maxLength) {
    if (value == null || value.length() > maxLength || !pattern.matcher(value).matches()) {
      throw new IllegalArgumentException(
          what
              + " '"
              + value
              + "' is not valid for Kubernetes: use lowercase letters,"
              + " digits and '-' (at most "
              + maxLength
              + " characters)");
    }
  }

  /** Name of the ConfigMap: the HotPatch's name with {@code -bundle}. */
  public String configMapName() {
    return name + "-bundle";
  }

  /** The YAML stream: the ConfigMap, then the HotPatch; the bundle is checked as any bundle is. */
  public String yaml(byte[] bundle, String source) throws BundleException {
    Bundle.verify(bundle);
    if (bundle.length > MAX_CONFIG_MAP_BYTES - CONFIG_MAP_OVERHEAD) {
      throw new BundleException(
          "bundle "
              + source
              + " has "
              + bundle.length
              + " bytes, more than the "
              + (MAX_CONFIG_MAP_BYTES - CONFIG_MAP_OVERHEAD)
              + " a ConfigMap holds (1 MiB, less room for its other fields):"
              + " diff fewer classes per bundle and deliver each bundle with its own HotPatch, or roll out a new image");
    }
    String sha256 = Sha256.hex(bundle);
    String printable = source.replaceAll("[^\\x20-\\x7e]", "?");
    List<String> lines = new ArrayList<String>();
    lines.add(
        "# Patch bundle "
            + printable
            + " (sha256 "
            + sha256
            + ") for the pods "
            + selectorText()
            + " of "
            + namespace
            + ".");
    lines.add(
        "# Written by 'hotpatch manifests': apply with 'kubectl apply -f FILE' (the ConfigMap comes first).");
    lines.add("apiVersion: v1");
    lines.add("kind: ConfigMap");
    lines.add("metadata:");
    lines.add("  name: " + quote(configMapName()));
    lines.add("  namespace: " + quote(namespace));
    lines.add("binaryData:");
    lines.add("  " + KEY + ": " + quote(Base64.getEncoder().encodeToString(bundle)));
    lines.add("---");
    lines.add("apiVersion: hotpatch.io/v1alpha1");
    lines.add("kind: HotPatch");
    lines.add("metadata:");
    lines.add("  name: " + quote(name));
    lines.add("  namespace: " + quote(namespace));
    lines.add("spec:");
    lines.add("  selector:");
    lines.add("    matchLabels:");
    for (Map.Entry<String, String> label : selector.entrySet()) {
      lines.add("      " + quote(label.getKey()) + ": " + quote(label.getValue()));
    }
    if (container != null) {
      lines.add("  containerName: " + quote(container));
    }
    lines.add("  bundle:");
    lines.add("    configMapRef:");
    lines.add("      name: " + quote(configMapName()));
    lines.add("      key: " + quote(KEY));
    lines.add("    sha256: " + quote(sha256));
    if (mode != null || canaryPods > 0) {
      lines.add("  strategy:");
      if (mode != null) {
        lines.add("    mode: " + quote(mode));
      }
      if (canaryPods > 0) {
        lines.add("    canary:");
        lines.add("      pods: " + canaryPods);
        lines.add("      soakSeconds: " + soakSeconds);
      }
    }
    StringBuilder out = new StringBuilder();
    for (String line : lines) {
      out.append(line).append('\n');
    }
    return out.toString();
  }

  private String selectorText() {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, String> label : selector.entrySet()) {
      out.append(out.length() == 0 ? "" : ",")
          .append(label.getKey())
          .append('=')
          .append(label.getValue());
    }
    return out.toString();
  }

  /**
   * Every value checked above is plain ASCII without quotes or backslashes: double quotes keep it a
   * string.
   */
  private static String quote(String value) {
    return "\"" + value + "\"";
  }
}
