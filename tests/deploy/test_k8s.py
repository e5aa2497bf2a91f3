"""The Kubernetes manifests in deploy/k8s, checked for the mistakes that only show up
once they are applied: selectors that select nothing, Services pointing at ports no
container opens, probes on the wrong path, secrets nobody documented, an endpoints
file Rasa cannot read or a mount path the container never looks at.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
README = ROOT / "README.md"

KNOWN_KINDS = {
    ("v1", "ConfigMap"),
    ("v1", "Service"),
    ("apps/v1", "Deployment"),
    ("autoscaling/v2", "HorizontalPodAutoscaler"),
    ("networking.k8s.io/v1", "Ingress"),
}
DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")
PINNED_IMAGE = re.compile(r"[\w.-]+(?::\d+)?(?:/[\w.-]+)+:(?!latest$)[\w][\w.-]{0,127}")
PLACEHOLDER = re.compile(r"\$\{(\w+)\}")
SECRET_LOOKING = re.compile(r"PASSWORD|TOKEN|SECRET|_KEY$|DATABASE_URL|RABBITMQ_URL")
PROBE_PATHS = {"sprout-rasa": "/", "sprout-actions": "/health"}


def manifests() -> list[dict[str, Any]]:
    documents = []
    for path in sorted(K8S.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if doc is not None:
                documents.append({**doc, "_file": path.name})
    return documents


DOCS = manifests()


def of_kind(kind: str) -> list[dict[str, Any]]:
    return [d for d in DOCS if d["kind"] == kind]


def named(kind: str, name: str) -> dict[str, Any]:
    (doc,) = [d for d in of_kind(kind) if d["metadata"]["name"] == name]
    return doc


def containers() -> Iterator[tuple[dict[str, Any], dict[str, Any]]]:
    for deployment in of_kind("Deployment"):
        for container in deployment["spec"]["template"]["spec"]["containers"]:
            yield deployment, container


def quantity(text: str | int) -> float:
    """A Kubernetes quantity ("500m", "2", "1536Mi") as a number."""
    units = {"m": 1e-3, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "K": 1e3, "M": 1e6, "G": 1e9}
    match = re.fullmatch(r"(\d+(?:\.\d+)?)([a-zA-Z]*)", str(text))
    assert match and match.group(2) in {"", *units}, f"bad quantity {text!r}"
    return float(match.group(1)) * units.get(match.group(2), 1)


def kubernetes_section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## Deploying on Kubernetes")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def test_every_document_is_a_known_kind_with_a_valid_unique_name() -> None:
    assert DOCS
    seen = set()
    for doc in DOCS:
        assert (doc.get("apiVersion"), doc.get("kind")) in KNOWN_KINDS, doc["_file"]
        name = doc["metadata"]["name"]
        assert DNS_LABEL.fullmatch(name), name
        assert (doc["kind"], name) not in seen
        seen.add((doc["kind"], name))
    assert not of_kind("Secret"), "secret values never live in the repository"


def test_kustomization_lists_every_manifest() -> None:
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text(encoding="utf-8"))
    files = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    assert sorted(kustomization["resources"]) == sorted(files)


def test_selectors_match_their_pod_templates() -> None:
    for deployment in of_kind("Deployment"):
        selector = deployment["spec"]["selector"]["matchLabels"]
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert selector and selector.items() <= labels.items(), deployment["metadata"]["name"]


def test_services_reach_container_ports() -> None:
    for service in of_kind("Service"):
        selector = service["spec"]["selector"]
        targets = [
            d
            for d in of_kind("Deployment")
            if selector.items() <= d["spec"]["template"]["metadata"]["labels"].items()
        ]
        assert targets, f"Service {service['metadata']['name']} selects no Deployment"
        for deployment in targets:
            ports = [
                p
                for c in deployment["spec"]["template"]["spec"]["containers"]
                for p in c.get("ports", [])
            ]
            names = {p.get("name") for p in ports}
            numbers = {p["containerPort"] for p in ports}
            for port in service["spec"]["ports"]:
                target = port.get("targetPort", port["port"])
                assert target in (names if isinstance(target, str) else numbers), target


def test_images_are_pinned_and_resources_bounded() -> None:
    images = set()
    for deployment, container in containers():
        image = container["image"]
        assert PINNED_IMAGE.fullmatch(image), f"{image} needs an explicit version tag"
        images.add(image)
        resources = container["resources"]
        for resource in ("cpu", "memory"):
            request = quantity(resources["requests"][resource])
            limit = quantity(resources["limits"][resource])
            assert 0 < request <= limit, (deployment["metadata"]["name"], resource)
        assert container["securityContext"]["allowPrivilegeEscalation"] is False
        assert deployment["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"]
    assert len(images) == 1, "every component runs the same build of the project"


def test_probes_use_each_servers_health_path() -> None:
    for name, path in PROBE_PATHS.items():
        (container,) = named("Deployment", name)["spec"]["template"]["spec"]["containers"]
        port_names = {p["name"] for p in container["ports"]}
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            check = container[probe]["httpGet"]
            assert check["path"] == path, (name, probe)
            assert check["port"] in port_names, (name, probe)


def test_secrets_are_referenced_and_documented() -> None:
    section = kubernetes_section()
    documented = set(re.findall(r"^\|\s*`([\w-]+)`\s*\|", section, flags=re.MULTILINE))
    references = set()
    for _deployment, container in containers():
        for variable in container.get("env", []):
            source = variable.get("valueFrom", {}).get("secretKeyRef")
            if source:
                assert source["name"] == "sprout-secrets"
                references.add(source["key"])
            else:
                assert not SECRET_LOOKING.search(variable["name"]), (
                    f"{variable['name']} must come from the Secret"
                )
    assert "`sprout-secrets`" in section
    assert references and references <= documented, references - documented
    for ingress in of_kind("Ingress"):
        for tls in ingress["spec"]["tls"]:
            assert f"`{tls['secretName']}`" in section


def _rasa() -> tuple[dict[str, Any], dict[str, Any]]:
    deployment = named("Deployment", "sprout-rasa")
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    return deployment, container


def _mounted_file(deployment: dict[str, Any], container: dict[str, Any], path: str) -> str:
    """The ConfigMap key a container path is mounted from."""
    volumes = {v["name"]: v for v in deployment["spec"]["template"]["spec"]["volumes"]}
    for mount in container["volumeMounts"]:
        prefix = mount["mountPath"].rstrip("/") + "/"
        if path.startswith(prefix):
            config_map = volumes[mount["name"]]["configMap"]
            data = named("ConfigMap", config_map["name"])["data"]
            relative = path[len(prefix) :]
            items = {i["path"]: i["key"] for i in config_map.get("items", [])}
            key = items.get(relative, relative if not items else None)
            assert key in data, f"{path} is not provided by ConfigMap {config_map['name']}"
            return data[key]
    raise AssertionError(f"{path} is not mounted")


def test_rasa_reads_the_endpoints_and_credentials_the_configmap_provides() -> None:
    deployment, container = _rasa()
    args = container["args"]
    endpoints = _mounted_file(deployment, container, args[args.index("--endpoints") + 1])
    credentials = _mounted_file(deployment, container, args[args.index("--credentials") + 1])
    repo_credentials = yaml.safe_load((ROOT / "credentials.yml").read_text(encoding="utf-8"))
    assert yaml.safe_load(credentials) == repo_credentials
    port = container["ports"][0]["containerPort"]
    assert args[args.index("--port") + 1] == str(port)
    token = args[args.index("--auth-token") + 1]
    assert token.startswith("$(") and token[2:-1] in {e["name"] for e in container["env"]}
    assert "action_endpoint" in yaml.safe_load(endpoints)


def test_endpoints_placeholders_are_set_and_rasa_accepts_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deployment, container = _rasa()
    args = container["args"]
    text = _mounted_file(deployment, container, args[args.index("--endpoints") + 1])
    env_names = {e["name"] for e in container["env"]}
    placeholders = set(PLACEHOLDER.findall(text))
    assert placeholders and placeholders <= env_names, placeholders - env_names

    from rasa.core.utils import AvailableEndpoints

    for name in placeholders:
        monkeypatch.setenv(name, f"value-of-{name.lower()}")
    path = tmp_path / "endpoints.yml"
    path.write_text(text, encoding="utf-8")
    endpoints = AvailableEndpoints.read_endpoints(str(path))
    assert endpoints.tracker_store.type == "SQL"
    assert endpoints.lock_store.type == "storage.lock_store.AtomicRedisLockStore"
    assert endpoints.event_broker.type == "pika"
    assert endpoints.lock_store.kwargs["password"] == "value-of-redis_password"

    # The action endpoint is the actions Service; the broker's queue is the consumer's.
    actions = named("Service", "sprout-actions")
    assert endpoints.action.url == (
        f"http://{actions['metadata']['name']}:{actions['spec']['ports'][0]['port']}/webhook"
    )
    (consumer,) = named("Deployment", "sprout-analytics")["spec"]["template"]["spec"]["containers"]
    queue = {e["name"]: e.get("value") for e in consumer["env"]}["SPROUT_ANALYTICS_QUEUE"]
    assert endpoints.event_broker.kwargs["queues"] == [queue]


def test_autoscaler_and_ingress_point_at_real_objects() -> None:
    for hpa in of_kind("HorizontalPodAutoscaler"):
        target = hpa["spec"]["scaleTargetRef"]
        assert named(target["kind"], target["name"])
        assert 1 <= hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]
    for ingress in of_kind("Ingress"):
        for rule in ingress["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                backend = path["backend"]["service"]
                service = named("Service", backend["name"])
                assert backend["port"]["name"] in {p["name"] for p in service["spec"]["ports"]}
                assert not path["path"].startswith(("/conversations", "/model")), path["path"]
                assert path["path"] != "/", "Rasa's HTTP API must not be public"


def test_schema_validation_with_kubernetes_validate() -> None:
    """Full OpenAPI schema check, when kubernetes-validate is installed."""
    validate = pytest.importorskip("kubernetes_validate")
    for doc in DOCS:
        resource = {k: v for k, v in doc.items() if k != "_file"}
        validate.validate(resource, "1.28", strict=True)


def test_kustomize_renders_the_same_objects() -> None:
    """`kubectl kustomize` (no cluster needed) builds exactly these objects."""
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not installed")
    rendered = subprocess.run(
        [kubectl, "kustomize", str(K8S)], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    objects = [d for d in yaml.safe_load_all(rendered) if d]
    assert sorted((d["kind"], d["metadata"]["name"]) for d in objects) == sorted(
        (d["kind"], d["metadata"]["name"]) for d in DOCS
    )
    for obj in objects:
        assert obj["metadata"]["labels"]["app.kubernetes.io/part-of"] == "sprout"


def test_the_image_carries_what_the_containers_run() -> None:
    """deploy/Dockerfile checks for the files the servers read, at the paths they read."""
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    workdir = re.search(r"^WORKDIR (\S+)", dockerfile, flags=re.MULTILINE).group(1)

    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    (spacy,) = [c for c in config["pipeline"] if c["name"] == "SpacyNLP"]
    assert f"test -f {spacy['model']}/meta.json" in dockerfile

    from channels.website import WIDGET_JS

    assert f"test -f {WIDGET_JS.relative_to(ROOT)}" in dockerfile

    _deployment, rasa = _rasa()
    assert rasa["args"][rasa["args"].index("--model") + 1] == f"{workdir}/models"
    (actions,) = named("Deployment", "sprout-actions")["spec"]["template"]["spec"]["containers"]
    package = actions["args"][actions["args"].index("--actions") + 1]
    assert (ROOT / package / "__init__.py").is_file()
    (consumer,) = named("Deployment", "sprout-analytics")["spec"]["template"]["spec"]["containers"]
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(rf"^{consumer['command'][0]} = ", pyproject, flags=re.MULTILINE)
    assert '"analytics"' in pyproject, "the analytics package must be installed"
