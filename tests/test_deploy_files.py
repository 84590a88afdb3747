"""The container files: Dockerfile, .dockerignore and docker-compose.yml.

No Docker engine runs here, so nothing is built or started: the compose file is parsed with PyYAML
(with compose's ``${VAR:-default}`` interpolation applied by hand), the Dockerfile as text, and the
environment both give the app is loaded into the real settings in a subprocess.
"""

import json
import os
import re
import shlex
import shutil
import subprocess
from fnmatch import fnmatch
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from tests.processes import run_with_settings, settings_env_names

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"

APP_SERVICES = ("web", "worker", "beat")
TEST_SECRET_KEY = "compose-test-" + "k" * 50


# --- helpers ------------------------------------------------------------------------------------
_VARIABLE = re.compile(r"\$\{(?P<name>\w+)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}")


class MissingVariable(Exception):
    pass


def interpolate(value, env: dict[str, str]) -> str:
    """Compose's ``${VAR}``, ``${VAR:-default}``, ``${VAR-default}``, ``${VAR:?error}`` and ``${VAR?error}``."""

    def substitute(match: re.Match) -> str:
        name, op, arg = match["name"], match["op"] or "", match["arg"] or ""
        current = env.get(name)
        missing = not current if op.startswith(":") else current is None
        if missing and op.endswith("-"):
            return arg
        if missing and op.endswith("?"):
            raise MissingVariable(f"{name}: {arg}")
        return current or ""

    return _VARIABLE.sub(substitute, str(value)).replace("$$", "$")


def environment_of(service: dict) -> dict[str, str]:
    environment = service.get("environment") or {}
    if isinstance(environment, list):
        environment = dict(item.split("=", 1) if "=" in item else (item, "") for item in environment)
    return {name: str(value) for name, value in environment.items()}


def resolved_environment(service: dict, env: dict[str, str] | None = None) -> dict[str, str]:
    env = {"SECRET_KEY": TEST_SECRET_KEY} if env is None else env
    return {name: interpolate(value, env) for name, value in environment_of(service).items()}


def command_of(service: dict) -> list[str]:
    command = service.get("command")
    return shlex.split(command) if isinstance(command, str) else list(command or [])


def load_settings(env_overrides: dict[str, str], expression: str) -> subprocess.CompletedProcess:
    """Evaluate ``expression`` against portal.settings loaded with only ``env_overrides`` set."""
    code = f"import json\nfrom django.conf import settings as s\nprint(json.dumps({expression}, default=str))"
    return run_with_settings(env_overrides, "-c", code)


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, comments dropped and continuation lines joined."""
    instructions, pending = [], ""
    for raw in DOCKERFILE.read_text().splitlines():
        line = raw.strip()
        if not pending and (not line or line.startswith("#")):
            continue
        if line.startswith("#"):  # a comment inside a continued instruction
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        full = (pending + line).strip()
        pending = ""
        keyword, _, arguments = full.partition(" ")
        instructions.append((keyword.upper(), arguments.strip()))
    return instructions


def dockerfile_stages() -> list[dict]:
    stages = []
    for keyword, arguments in dockerfile_instructions():
        if keyword == "FROM":
            words = [w for w in arguments.split() if not w.startswith("--")]
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else None
            stages.append({"image": words[0], "name": name, "instructions": []})
        else:
            assert stages, f"{keyword} before the first FROM"
            stages[-1]["instructions"].append((keyword, arguments))
    return stages


def stage_args(stage: dict, keyword: str) -> list[str]:
    return [arguments for k, arguments in stage["instructions"] if k == keyword]


def stage_env(stage: dict) -> dict[str, str]:
    env = {}
    for arguments in stage_args(stage, "ENV"):
        for word in shlex.split(arguments):
            name, _, value = word.partition("=")
            env[name] = value
    return env


def final_cmd() -> list[str]:
    cmds = stage_args(dockerfile_stages()[-1], "CMD")
    assert cmds, "the final stage has no CMD"
    return json.loads(cmds[-1])  # exec form: signals reach gunicorn, no shell in between


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


# --- docker-compose.yml -------------------------------------------------------------------------
def test_the_stack_has_its_services(services):
    assert {"web", "worker", "beat", "postgres", "redis", "migrate"} <= set(services)


def test_web_runs_gunicorn_on_the_wsgi_application(services):
    command = command_of(services["web"])
    assert command[0] == "gunicorn"
    assert "portal.wsgi:application" in command
    assert command[command.index("--bind") + 1] == "0.0.0.0:8000"
    assert command[command.index("--access-logfile") + 1] == "-"
    assert int(command[command.index("--workers") + 1]) >= 2
    assert command == final_cmd(), "web's command and the image's CMD have drifted apart"
    assert any(str(port).endswith(":8000") for port in services["web"]["ports"])


def test_web_healthcheck_is_readiness_which_does_not_depend_on_the_worker(services):
    healthcheck = " ".join(services["web"]["healthcheck"]["test"])
    assert "http://127.0.0.1:8000/healthz/ready" in healthcheck
    assert "/healthz'" not in healthcheck  # /healthz is 503 while no worker answers


def test_the_web_healthcheck_command_passes_against_a_ready_node(services, live_server, transactional_db):
    """The compose healthcheck's own command, run against a live server of this checkout."""
    import subprocess
    import sys

    test = services["web"]["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"]
    code = test[3].replace("http://127.0.0.1:8000", live_server.url)
    subprocess.run([sys.executable, "-c", code], check=True, timeout=30)


def test_redis_keeps_an_append_only_file_in_a_named_volume(compose, services):
    redis = services["redis"]
    command = redis["command"]
    assert command[0] == "redis-server"
    assert command[command.index("--appendonly") + 1] == "yes"
    data_volumes = [v.split(":")[0] for v in redis["volumes"] if v.split(":")[1] == "/data"]
    assert data_volumes and data_volumes[0] in (compose.get("volumes") or {})


def test_worker_runs_a_celery_worker_without_embedded_beat(services):
    command = command_of(services["worker"])
    assert command[:4] == ["celery", "-A", "portal", "worker"]
    assert "--loglevel=INFO" in command
    assert not {"-B", "--beat"} & set(command), "an embedded beat would schedule every task twice"


def test_exactly_one_beat_runs(services):
    command = command_of(services["beat"])
    assert command[:4] == ["celery", "-A", "portal", "beat"]
    schedule = next(arg.split("=", 1)[1] for arg in command if arg.startswith("--schedule="))
    assert schedule.startswith("/tmp/"), "the app user can only write under /tmp"  # noqa: S108
    assert int(services["beat"].get("deploy", {}).get("replicas", 1)) == 1
    beats = [name for name, service in services.items() if command_of(service)[:1] == ["celery"]]
    beats = [name for name in beats if "beat" in command_of(services[name])[3:4]]
    assert beats == ["beat"]


def test_postgres_keeps_its_data_in_a_named_volume_and_has_a_healthcheck(compose, services):
    postgres = services["postgres"]
    assert re.fullmatch(r"postgres:1[56](\.\d+)*(-\w+)?", postgres["image"])
    data_volumes = [v.split(":")[0] for v in postgres["volumes"] if v.split(":")[1] == "/var/lib/postgresql/data"]
    assert data_volumes, "the data directory is not a volume"
    assert data_volumes[0] in (compose.get("volumes") or {}), "the data volume is not a declared named volume"
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])


def test_redis_has_a_healthcheck(services):
    redis = services["redis"]
    assert re.fullmatch(r"redis:7(\.\d+)*(-\w+)?", redis["image"])
    assert redis["healthcheck"]["test"][-2:] == ["redis-cli", "ping"]


@pytest.mark.parametrize("name", [*APP_SERVICES, "migrate"])
def test_app_services_wait_for_healthy_postgres_and_redis(services, name):
    depends_on = services[name]["depends_on"]
    assert depends_on["postgres"]["condition"] == "service_healthy"
    assert depends_on["redis"]["condition"] == "service_healthy"


def test_migrations_run_once_before_web_worker_and_beat(services):
    migrate = services["migrate"]
    script = " ".join(command_of(migrate))
    assert "manage.py migrate --noinput" in script
    assert script.index("manage.py migrate") < script.index("manage.py setup_periodic_tasks")
    assert migrate["restart"] == "no"
    for name in APP_SERVICES:
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert "migrate" not in " ".join(command_of(services[name]))
    dockerfile = DOCKERFILE.read_text()
    assert "ENTRYPOINT" not in dockerfile
    assert "manage.py migrate" not in dockerfile


def test_app_services_share_one_image_and_one_environment(services):
    reference = services["web"]
    for name in ("worker", "beat", "migrate"):
        assert services[name]["build"] == reference["build"]
        assert services[name]["image"] == reference["image"]
        assert environment_of(services[name]) == environment_of(reference)


@pytest.mark.parametrize("name", APP_SERVICES)
def test_every_variable_given_to_the_app_is_read_by_the_settings(services, name):
    unknown = set(environment_of(services[name])) - settings_env_names()
    assert not unknown, f"portal/settings.py does not read {sorted(unknown)}"


def test_database_and_broker_urls_point_at_the_compose_services(services):
    env = resolved_environment(services["web"])
    database = urlsplit(env["DATABASE_URL"])
    assert database.scheme in {"postgres", "postgresql"}
    assert database.hostname == "postgres"
    assert database.port == 5432
    postgres_env = environment_of(services["postgres"])
    assert database.username == postgres_env["POSTGRES_USER"]
    assert database.password == postgres_env["POSTGRES_PASSWORD"]
    assert database.path == "/" + postgres_env["POSTGRES_DB"]
    redis = urlsplit(env["REDIS_URL"])
    assert redis.scheme == "redis"
    assert redis.hostname == "redis"


def test_the_compose_environment_is_production_like_and_holds_no_secret(services):
    environment = environment_of(services["web"])
    assert re.fullmatch(r"\$\{SECRET_KEY:\?[^}]+\}", environment["SECRET_KEY"]), "SECRET_KEY must come from outside"
    with pytest.raises(MissingVariable):
        resolved_environment(services["web"], env={})
    env = resolved_environment(services["web"])
    assert env["DEBUG"] == "False"
    assert env["ALLOWED_HOSTS"] == "localhost"
    assert env["SECURE_SSL_REDIRECT"] == "False"  # local plain HTTP, see the comment in the file
    assert (
        resolved_environment(services["web"], {"SECRET_KEY": "x", "SECURE_SSL_REDIRECT": "True"})["SECURE_SSL_REDIRECT"]
        == "True"
    )


def test_the_settings_load_with_the_compose_environment(services):
    result = load_settings(
        resolved_environment(services["web"]),
        "[s.DEBUG, s.DATABASES['default']['ENGINE'], s.DATABASES['default']['HOST'], s.CELERY_BROKER_URL,"
        " s.ALLOWED_HOSTS, s.SECURE_SSL_REDIRECT, s.SECRET_KEY]",
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [
        False,
        "django.db.backends.postgresql",
        "postgres",
        "redis://redis:6379/0",
        ["localhost"],
        False,
        TEST_SECRET_KEY,
    ]


def test_attachments_live_in_the_minio_bucket_which_migrate_creates(compose, services):
    env = resolved_environment(services["web"])
    result = load_settings(
        env, "[s.STORAGES['private']['BACKEND'], s.STORAGES['private']['OPTIONS'].get('bucket_name'),"
        " s.STORAGES['private']['OPTIONS'].get('endpoint_url')]",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["attachments.storage.PrivateS3Storage", "portal-private", "http://minio:9000"]
    minio = services["minio"]
    assert minio["image"].startswith("minio/minio:RELEASE.")  # pinned, not latest
    assert minio["environment"]["MINIO_ROOT_USER"] == env["PRIVATE_STORAGE_S3_ACCESS_KEY_ID"]
    assert minio["environment"]["MINIO_ROOT_PASSWORD"] == env["PRIVATE_STORAGE_S3_SECRET_ACCESS_KEY"]
    assert "demo" in env["PRIVATE_STORAGE_S3_SECRET_ACCESS_KEY"]  # an obvious local value
    assert "ports" not in minio, "the object store is reached only inside the stack"
    data_volumes = [v.split(":")[0] for v in minio["volumes"] if v.split(":")[1] == "/data"]
    assert data_volumes and data_volumes[0] in (compose.get("volumes") or {})
    assert minio["healthcheck"]["test"]
    for name in [*APP_SERVICES, "migrate"]:
        assert services[name]["depends_on"]["minio"]["condition"] == "service_healthy"
    script = " ".join(command_of(services["migrate"]))
    assert script.index("manage.py migrate") < script.index("manage.py ensure_private_bucket")


def test_web_and_worker_keep_nothing_on_their_host_so_they_scale(services):
    """What a replica needs it finds in PostgreSQL, Redis or MinIO: no volume, no fixed container
    name, the cache in Redis; web's host port comes from WEB_PORT, which may be a range."""
    env = resolved_environment(services["web"])
    assert urlsplit(env["CACHE_URL"]).scheme == "rediscache"
    assert urlsplit(env["CACHE_URL"]).hostname == "redis"
    for name in ("web", "worker"):
        assert "volumes" not in services[name]
        assert "container_name" not in services[name]
        assert int(services[name].get("deploy", {}).get("replicas", 1)) == 1  # scaled with --scale
    assert services["web"]["ports"] == ["${WEB_PORT:-8000}:8000"]


def test_docker_compose_accepts_the_file():
    docker = shutil.which("docker")
    if not docker:
        pytest.skip("the docker client is not installed")
    probe = subprocess.run([docker, "compose", "version"], capture_output=True, text=True, timeout=30)
    if probe.returncode != 0:
        reason = ((probe.stderr or probe.stdout).strip().splitlines() or ["no output"])[0]
        pytest.skip(f"`docker compose` is not available: {reason}")
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    config = [docker, "compose", "-f", str(COMPOSE_FILE), "config", "--quiet"]
    result = subprocess.run(
        config, cwd=ROOT, env={**env, "SECRET_KEY": TEST_SECRET_KEY}, capture_output=True, text=True, timeout=30
    )
    if result.returncode != 0 and "Cannot connect to the Docker daemon" in result.stderr:
        pytest.skip("docker compose config needs an engine here")
    assert result.returncode == 0, result.stderr
    without_secret = subprocess.run(config, cwd=ROOT, env=env, capture_output=True, text=True, timeout=30)
    assert without_secret.returncode != 0
    assert "set SECRET_KEY" in without_secret.stderr


# --- Dockerfile ---------------------------------------------------------------------------------
def test_dockerfile_is_multi_stage_on_pinned_images():
    stages = dockerfile_stages()
    assert len(stages) >= 2
    assert [stage["name"] for stage in stages] == ["assets", "python-deps", "runtime"]
    stage_names = {stage["name"] for stage in stages}
    for stage in stages:
        if stage["image"] in stage_names:
            continue
        repository, _, tag = stage["image"].rpartition(":")
        assert repository and tag, f"{stage['image']} has no tag"
        assert tag != "latest", f"{stage['image']} is not pinned"
    assert stages[0]["image"].startswith("node:")
    assert stages[1]["image"] == stages[2]["image"], "the venv must run on the interpreter it was built with"
    assert stages[2]["image"].startswith("python:3.13")


def test_assets_stage_installs_only_the_runtime_npm_packages():
    assets, *_, runtime = dockerfile_stages()
    assert any("npm ci" in run and "--omit=dev" in run for run in stage_args(assets, "RUN"))
    copied = [c for c in stage_args(runtime, "COPY") if c.startswith("--from=assets")]
    packages = {Path(c.split()[1]).name for c in copied}
    assert packages == {"@digdir", "@fontsource-variable", "htmx.org"}
    assert all(c.split()[2].startswith("/app/node_modules/") for c in copied)
    # Everything STATICFILES_DIRS takes from node_modules is in a copied folder.
    result = load_settings({}, "[str(d[1]) if isinstance(d, tuple) else str(d) for d in s.STATICFILES_DIRS]")
    assert result.returncode == 0, result.stderr
    node_modules = str(ROOT / "node_modules") + "/"
    needed = {Path(d[len(node_modules) :]).parts[0] for d in json.loads(result.stdout) if d.startswith(node_modules)}
    assert needed and needed <= packages


def test_python_deps_come_from_the_lock_file_without_dev_packages():
    stage = dockerfile_stages()[1]
    runs = stage_args(stage, "RUN")
    assert any(re.search(r"pip install .*\buv\b", run) for run in runs)
    sync = next(run for run in runs if "uv sync" in run)
    assert {"--frozen", "--no-dev", "--no-install-project"} <= set(sync.split())
    env = stage_env(stage)
    assert env["UV_PROJECT_ENVIRONMENT"] == "/app/.venv"
    assert env["UV_PYTHON_DOWNLOADS"] == "never"
    assert env["UV_COMPILE_BYTECODE"] == "1"
    runtime = dockerfile_stages()[-1]
    assert any(c.split()[:3] == ["--from=python-deps", "/app/.venv", "/app/.venv"] for c in stage_args(runtime, "COPY"))
    assert stage_env(runtime)["PATH"].startswith("/app/.venv/bin:")


def test_final_stage_runs_as_a_non_root_user():
    runtime = dockerfile_stages()[-1]
    users = stage_args(runtime, "USER")
    assert users, "the final stage has no USER"
    user = users[-1].split(":")[0]
    assert user not in {"root", "0"}
    assert any("useradd" in run and run.split()[-1] == user for run in stage_args(runtime, "RUN"))
    instructions = runtime["instructions"]
    assert instructions.index(("USER", users[-1])) > max(i for i, (k, a) in enumerate(instructions) if k == "RUN"), (
        "build steps after USER would leave files the app user can change"
    )


def test_final_cmd_is_gunicorn_on_port_8000():
    cmd = final_cmd()
    assert cmd[0] == "gunicorn"
    assert "portal.wsgi:application" in cmd
    assert cmd[cmd.index("--bind") + 1] == "0.0.0.0:8000"
    assert cmd[cmd.index("--access-logfile") + 1] == "-"
    assert "8000" in stage_args(dockerfile_stages()[-1], "EXPOSE")


def test_collectstatic_runs_at_build_time_with_throwaway_settings_on_that_line_only(services):
    runtime = dockerfile_stages()[-1]
    run = next(run for run in stage_args(runtime, "RUN") if "collectstatic" in run)
    words = shlex.split(run)
    build_env = dict(w.split("=", 1) for w in words[: next(i for i, w in enumerate(words) if "=" not in w)])
    assert words[len(build_env) :][:4] == ["python", "manage.py", "collectstatic", "--noinput"]
    assert build_env["DEBUG"] == "False"
    # The throwaway values are not baked into any stage's environment ...
    for stage in dockerfile_stages():
        baked = set(stage_env(stage)) | {a.split("=")[0] for a in stage_args(stage, "ARG")}
        assert not baked & {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}
    assert build_env["SECRET_KEY"] not in COMPOSE_FILE.read_text()
    # ... and they pass the settings' own production checks, or the build would stop there.
    result = load_settings(build_env, "[s.DEBUG, s.ALLOWED_HOSTS]")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [False, [build_env["ALLOWED_HOSTS"]]]


def test_dockerfile_has_no_healthcheck_on_healthz():
    healthchecks = " ".join(arguments for keyword, arguments in dockerfile_instructions() if keyword == "HEALTHCHECK")
    assert "healthz" not in healthchecks  # 503 without a worker; worker and beat run this image too


# --- .dockerignore ------------------------------------------------------------------------------
def dockerignore_patterns() -> list[str]:
    lines = (line.strip() for line in DOCKERIGNORE.read_text().splitlines())
    return [line.strip("/") for line in lines if line and not line.startswith("#")]


def is_ignored(path: str) -> bool:
    patterns = dockerignore_patterns()
    return any(fnmatch(path, p) or fnmatch(path.split("/")[0], p) for p in patterns)


@pytest.mark.parametrize(
    "path", [".venv", ".tools", "node_modules", "var", ".git", ".env", ".pytest_cache", ".ruff_cache", "test-results"]
)
def test_dockerignore_keeps_local_state_and_secrets_out(path):
    assert is_ignored(path)


@pytest.mark.parametrize(
    "path",
    ["package.json", "package-lock.json", "pyproject.toml", "uv.lock", "manage.py", "portal", "locale", "static"],
)
def test_dockerignore_keeps_what_the_build_needs(path):
    assert (ROOT / path).exists()
    assert not is_ignored(path)
