package dev.quma.deploy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecurityContext;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Rules for each pod template on its own: health probes that reach the service, resources, a
 * locked-down security context, images of the expected names.
 */
final class WorkloadRules {
  /** The control plane's tiers: each serves Quarkus's health endpoints. */
  static final Set<String> TIERS =
      Set.of(
          "api-service", "xds-service", "lifecycle-worker", "token-service", "bootstrap-service");

  /**
   * preStop sleep (endpoint removal) plus up to 10s to close every subscription plus margin; a
   * shorter grace would kill the replica while its proxies' subscriptions are still open.
   */
  static final long XDS_MIN_GRACE_SECONDS = 45;

  /** Images of the bundled stores; the tiers' images are quma/{tier}. */
  private static final Pattern STORE_IMAGE = Pattern.compile("(redis|postgres):[0-9][\\w.-]*");

  private WorkloadRules() {}

  static void check(Workload workload, Violations violations) {
    String id = workload.id();
    boolean tier = TIERS.contains(workload.name());
    if (workload.containers() == null || workload.containers().isEmpty()) {
      violations.add(id, "has no containers");
      return;
    }
    for (Container container : workload.containers()) {
      String where = id + ", container " + container.getName();
      checkImage(where, workload.name(), tier, container.getImage(), violations);
      checkResources(where, container, violations);
      checkSecurity(where, workload, container, violations);
      List<ContainerPort> ports = container.getPorts() == null ? List.of() : container.getPorts();
      if (tier) {
        checkHealthProbe(
            where,
            "readinessProbe",
            container.getReadinessProbe(),
            "/q/health/ready",
            ports,
            workload.kind().equals("KnativeService"),
            violations);
        checkHealthProbe(
            where,
            "livenessProbe",
            container.getLivenessProbe(),
            "/q/health/live",
            ports,
            workload.kind().equals("KnativeService"),
            violations);
      } else {
        checkAnyProbe(where, "readinessProbe", container.getReadinessProbe(), ports, violations);
        checkAnyProbe(where, "livenessProbe", container.getLivenessProbe(), ports, violations);
      }
    }
    if (workload.name().equals("xds-service")) {
      Long grace = workload.terminationGracePeriodSeconds();
      if (grace == null || grace < XDS_MIN_GRACE_SECONDS) {
        violations.add(
            id,
            "terminationGracePeriodSeconds is "
                + grace
                + ", needs at least "
                + XDS_MIN_GRACE_SECONDS
                + " to hand its proxies over");
      }
    }
  }

  private static void checkImage(
      String where, String workloadName, boolean tier, String image, Violations violations) {
    if (image == null) {
      violations.add(where, "has no image");
    } else if (tier) {
      if (!image.matches(Pattern.quote("quma/" + workloadName) + ":[0-9][\\w.-]*")) {
        violations.add(where, "image " + image + " is not quma/" + workloadName + ":<version>");
      }
    } else if (!STORE_IMAGE.matcher(image).matches()) {
      violations.add(where, "image " + image + " is not an expected store image with a version");
    }
  }

  private static void checkResources(String where, Container container, Violations violations) {
    var resources = container.getResources();
    Map<String, Quantity> requests = resources == null ? null : resources.getRequests();
    Map<String, Quantity> limits = resources == null ? null : resources.getLimits();
    for (String resource : List.of("cpu", "memory")) {
      if (requests == null || !requests.containsKey(resource)) {
        violations.add(where, "has no " + resource + " request");
      }
      if (limits == null || !limits.containsKey(resource)) {
        violations.add(where, "has no " + resource + " limit");
      }
      if (requests != null
          && limits != null
          && requests.containsKey(resource)
          && limits.containsKey(resource)
          && Quantity.getAmountInBytes(requests.get(resource))
                  .compareTo(Quantity.getAmountInBytes(limits.get(resource)))
              > 0) {
        violations.add(where, resource + " request is above its limit");
      }
    }
  }

  private static void checkSecurity(
      String where, Workload workload, Container container, Violations violations) {
    SecurityContext security = container.getSecurityContext();
    boolean podNonRoot =
        workload.podSecurity() != null
            && Boolean.TRUE.equals(workload.podSecurity().getRunAsNonRoot());
    boolean containerNonRoot = security != null && Boolean.TRUE.equals(security.getRunAsNonRoot());
    if (!podNonRoot && !containerNonRoot) {
      violations.add(where, "may run as root (runAsNonRoot not set)");
    }
    if (security == null) {
      violations.add(where, "has no securityContext");
      return;
    }
    if (!Boolean.FALSE.equals(security.getAllowPrivilegeEscalation())) {
      violations.add(where, "allows privilege escalation");
    }
    if (!Boolean.TRUE.equals(security.getReadOnlyRootFilesystem())) {
      violations.add(where, "has a writable root filesystem");
    }
    if (security.getCapabilities() == null
        || security.getCapabilities().getDrop() == null
        || !security.getCapabilities().getDrop().contains("ALL")) {
      violations.add(where, "does not drop ALL capabilities");
    } else if (security.getCapabilities().getAdd() != null
        && !security.getCapabilities().getAdd().isEmpty()) {
      violations.add(where, "adds capabilities " + security.getCapabilities().getAdd());
    }
  }

  private static void checkHealthProbe(
      String where,
      String name,
      Probe probe,
      String path,
      List<ContainerPort> ports,
      boolean knative,
      Violations violations) {
    if (probe == null || probe.getHttpGet() == null) {
      violations.add(where, "has no HTTP " + name);
      return;
    }
    if (!path.equals(probe.getHttpGet().getPath())) {
      violations.add(where, name + " asks " + probe.getHttpGet().getPath() + ", not " + path);
    }
    IntOrString port = probe.getHttpGet().getPort();
    if (knative && port != null && port.getIntVal() != null) {
      // Knative allows one declared port (the one it routes to); a service whose health is on a
      // management port names that one by number. RenderedOverlaysTest holds it to the base's.
      return;
    }
    checkPort(where, name, port, ports, violations);
  }

  private static void checkAnyProbe(
      String where, String name, Probe probe, List<ContainerPort> ports, Violations violations) {
    if (probe == null) {
      violations.add(where, "has no " + name);
    } else if (probe.getHttpGet() != null) {
      checkPort(where, name, probe.getHttpGet().getPort(), ports, violations);
    } else if (probe.getTcpSocket() != null) {
      checkPort(where, name, probe.getTcpSocket().getPort(), ports, violations);
    } else if (probe.getExec() == null && probe.getGrpc() == null) {
      violations.add(where, name + " has no handler");
    }
  }

  /**
   * A probe's port must be one the container declares, by name or number; a Knative Service may
   * leave it out (Knative probes the one port it routes to).
   */
  static void checkPort(
      String where,
      String name,
      IntOrString port,
      List<ContainerPort> ports,
      Violations violations) {
    if (port == null) {
      if (ports.size() != 1) {
        violations.add(where, name + " names no port and the container has " + ports.size());
      }
      return;
    }
    if (findPort(port, ports) == null) {
      violations.add(where, name + " targets port " + portText(port) + ", which is not declared");
    }
  }

  static ContainerPort findPort(IntOrString port, List<ContainerPort> ports) {
    for (ContainerPort declared : ports) {
      boolean match =
          port.getIntVal() != null
              ? Objects.equals(port.getIntVal(), declared.getContainerPort())
              : Objects.equals(port.getStrVal(), declared.getName());
      if (match) {
        return declared;
      }
    }
    return null;
  }

  static String portText(IntOrString port) {
    return port.getIntVal() != null ? port.getIntVal().toString() : port.getStrVal();
  }
}
