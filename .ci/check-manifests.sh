#!/usr/bin/env bash
# Checks the deployment files: every YAML under k8s/ and docker-compose.yml parses, the k8s
# selectors and references agree with each other, and compose and k8s run the same image.
# Prints one line per failure and exits 1, or prints "manifests ok".
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v python3 >/dev/null 2>&1; then
  echo "python3 not found: install it (apt-get install -y python3)"
  exit 1
fi

# PyYAML: Debian ships it as python3-yaml. Install it only where that is safe and non-interactive
# (root with apt-get); PyPI is not assumed reachable, so no pip.
if ! python3 -c 'import yaml' 2>/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq python3-yaml >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq python3-yaml >/dev/null 2>&1; } \
      || true
  fi
  if ! python3 -c 'import yaml' 2>/dev/null; then
    echo "PyYAML missing: install it (apt-get install -y python3-yaml) and run again"
    exit 1
  fi
fi

status=0
python3 - <<'PY' || status=1
import glob
import os
import sys

import yaml

failures = []


def fail(msg):
    failures.append(msg)


class StrictLoader(yaml.SafeLoader):
    """SafeLoader that rejects duplicate keys: PyYAML silently keeps the last one, kubectl may not."""


def _no_duplicates(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, "duplicate key %r" % (key,), key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep)


StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


def load(path):
    try:
        with open(path, encoding="utf-8") as f:
            return [d for d in yaml.load_all(f, Loader=StrictLoader) if d is not None]
    except (OSError, yaml.YAMLError) as e:
        fail("%s: does not parse: %s" % (path, " ".join(str(e).split())))
        return None


def dig(obj, *keys):
    for k in keys:
        if isinstance(obj, dict):
            obj = obj.get(k)
        elif isinstance(obj, list) and isinstance(k, int) and k < len(obj):
            obj = obj[k]
        else:
            return None
    return obj


def subset(selector, labels):
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


APP_LABEL = ("app.kubernetes.io/name", "meltano-auth")

# 1. Everything parses.
files = sorted(set(glob.glob("k8s/**/*.yaml", recursive=True)
                   + glob.glob("k8s/**/*.yml", recursive=True)))
if not files:
    fail("k8s/: no YAML files found")
docs = {}
for path in files + ["docker-compose.yml"]:
    if not os.path.exists(path):
        fail("%s: missing" % path)
        continue
    loaded = load(path)
    if loaded is not None:
        docs[path] = loaded

# 2. Kubernetes objects, indexed by kind (the kustomization is not an object to apply).
objects = {}
kustomization = None
for path in files:
    for d in docs.get(path, []):
        if not isinstance(d, dict) or "kind" not in d or "apiVersion" not in d:
            fail("%s: not a Kubernetes object (no kind/apiVersion)" % path)
            continue
        if d["kind"] == "Kustomization":
            kustomization = (path, d)
            continue
        name = dig(d, "metadata", "name")
        if not name:
            fail("%s: %s has no metadata.name" % (path, d["kind"]))
        labels = dig(d, "metadata", "labels") or {}
        if labels.get(APP_LABEL[0]) != APP_LABEL[1]:
            fail("%s: %s/%s lacks label %s: %s" % (path, d["kind"], name, *APP_LABEL))
        objects.setdefault(d["kind"], []).append((path, d))


def one(kind):
    found = objects.get(kind, [])
    if len(found) != 1:
        fail("k8s/: expected exactly one %s, found %d" % (kind, len(found)))
        return None, None
    return found[0]


ns_path, ns = one("Namespace")
namespace = dig(ns, "metadata", "name") if ns else None
for kind, items in objects.items():
    for path, d in items:
        if kind != "Namespace" and namespace and dig(d, "metadata", "namespace") not in (None, namespace):
            fail("%s: %s is in namespace %r, not %r"
                 % (path, kind, dig(d, "metadata", "namespace"), namespace))

if kustomization:
    kpath, k = kustomization
    listed = k.get("resources") or []
    kdir = os.path.dirname(kpath)
    for r in listed:
        if not os.path.exists(os.path.join(kdir, r)):
            fail("%s: lists %s, which does not exist" % (kpath, r))
    for path in files:
        rel = os.path.relpath(path, kdir)
        if path != kpath and rel not in listed:
            fail("%s: does not list %s" % (kpath, rel))
    if namespace and k.get("namespace") not in (None, namespace):
        fail("%s: namespace %r differs from %r" % (kpath, k.get("namespace"), namespace))
else:
    fail("k8s/: no kustomization.yaml")

dep_path, dep = one("Deployment")
image = None
if dep:
    dep_name = dig(dep, "metadata", "name")
    selector = dig(dep, "spec", "selector", "matchLabels") or {}
    pod_labels = dig(dep, "spec", "template", "metadata", "labels") or {}
    if not subset(selector, pod_labels):
        fail("%s: spec.selector.matchLabels %s does not match the pod labels %s"
             % (dep_path, selector, pod_labels))
    if pod_labels.get(APP_LABEL[0]) != APP_LABEL[1]:
        fail("%s: pod template lacks label %s: %s" % (dep_path, *APP_LABEL))
    pod = dig(dep, "spec", "template", "spec") or {}
    for i, c in enumerate(pod.get("topologySpreadConstraints") or []):
        sel = dig(c, "labelSelector", "matchLabels") or {}
        if not subset(sel, pod_labels):
            fail("%s: topologySpreadConstraints[%d] selector %s does not match the pods"
                 % (dep_path, i, sel))
    for term in (dig(pod, "affinity", "podAntiAffinity",
                     "preferredDuringSchedulingIgnoredDuringExecution") or []):
        sel = dig(term, "podAffinityTerm", "labelSelector", "matchLabels") or {}
        if not subset(sel, pod_labels):
            fail("%s: podAntiAffinity selector %s does not match the pods" % (dep_path, sel))

    containers = pod.get("containers") or []
    if not containers:
        fail("%s: no containers" % dep_path)
    container = containers[0] if containers else {}
    image = container.get("image")
    port_names = {p.get("name") for p in container.get("ports") or []}
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        port = dig(container, probe, "httpGet", "port")
        if port is None:
            fail("%s: %s is missing" % (dep_path, probe))
        elif isinstance(port, str) and port not in port_names:
            fail("%s: %s uses port %r, which the container does not name" % (dep_path, probe, port))

    # envFrom must point at the ConfigMap and Secret defined here.
    defined = {(kind, dig(d, "metadata", "name"))
               for kind in ("ConfigMap", "Secret") for _, d in objects.get(kind, [])}
    for ref in container.get("envFrom") or []:
        for key, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
            if key in ref and (kind, dig(ref, key, "name")) not in defined:
                fail("%s: envFrom %s %r is not defined under k8s/"
                     % (dep_path, kind, dig(ref, key, "name")))

    svc_path, svc = one("Service")
    if svc:
        sel = dig(svc, "spec", "selector") or {}
        if not subset(sel, pod_labels):
            fail("%s: selector %s does not match the Deployment's pods" % (svc_path, sel))
        for p in dig(svc, "spec", "ports") or []:
            tp = p.get("targetPort")
            if isinstance(tp, str) and tp not in port_names:
                fail("%s: targetPort %r is not a container port name" % (svc_path, tp))

    pdb_path, pdb = one("PodDisruptionBudget")
    if pdb:
        sel = dig(pdb, "spec", "selector", "matchLabels") or {}
        if not subset(sel, pod_labels):
            fail("%s: selector %s does not match the Deployment's pods" % (pdb_path, sel))

    hpa_path, hpa = one("HorizontalPodAutoscaler")
    if hpa:
        ref = dig(hpa, "spec", "scaleTargetRef") or {}
        if ref.get("kind") != "Deployment" or ref.get("name") != dep_name:
            fail("%s: scaleTargetRef %s/%s is not Deployment/%s"
                 % (hpa_path, ref.get("kind"), ref.get("name"), dep_name))
        min_r = dig(hpa, "spec", "minReplicas")
        min_avail = dig(pdb, "spec", "minAvailable") if pdb else None
        if isinstance(min_r, int) and isinstance(min_avail, int) and min_r <= min_avail:
            fail("%s: minReplicas %d leaves no room for the PDB's minAvailable %d"
                 % (hpa_path, min_r, min_avail))

# 3. Compose runs the same image as Kubernetes.
compose = (docs.get("docker-compose.yml") or [None])[0]
if compose is not None:
    svc = dig(compose, "services", "meltano-auth")
    if not isinstance(svc, dict):
        fail("docker-compose.yml: no service meltano-auth")
    else:
        if image and svc.get("image") != image:
            fail("docker-compose.yml: image %r differs from k8s/deployment.yaml %r"
                 % (svc.get("image"), image))
        dockerfile = dig(svc, "build", "dockerfile")
        if dockerfile and not os.path.exists(os.path.join(dig(svc, "build", "context") or ".", dockerfile)):
            fail("docker-compose.yml: build.dockerfile %s does not exist" % dockerfile)
        for dep_name, cond in (svc.get("depends_on") or {}).items():
            if isinstance(cond, dict) and cond.get("condition") == "service_healthy" \
                    and not dig(compose, "services", dep_name, "healthcheck"):
                fail("docker-compose.yml: depends on %s being healthy, which has no healthcheck"
                     % dep_name)

for msg in failures:
    print(msg)
sys.exit(1 if failures else 0)
PY

# Optional: where kubectl is installed, its built-in kustomize must render the set as well.
if command -v kubectl >/dev/null 2>&1; then
  if ! out=$(kubectl kustomize k8s 2>&1 >/dev/null); then
    echo "k8s/: kubectl kustomize fails: $(echo "$out" | tr '\n' ' ')"
    status=1
  fi
fi

if [ "$status" -ne 0 ]; then
  exit 1
fi
echo "manifests ok"
