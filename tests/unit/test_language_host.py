"""The stand-in language host finds a program's required plugins by the rule of Pulumi's Go host."""

from __future__ import annotations

import base64
import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.pulumi_harness import REPO

sys.path.insert(0, str(REPO / "tools" / "pulumi_cli"))
language_host = importlib.import_module("language_host")


def _distribution(root: Path, name: str, version: str, plugin_json: dict | None, module: str = "") -> None:
    """An installed distribution ``name`` with an import package, and a pulumi-plugin.json when given."""
    module = module or name.replace("-", "_")
    info = root / f"{module}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", encoding="utf-8"
    )
    package = root / module
    package.mkdir()
    (package / "__init__.py").write_text("", encoding="utf-8")
    if plugin_json is not None:
        (package / "pulumi-plugin.json").write_text(json.dumps(plugin_json), encoding="utf-8")


@pytest.fixture
def site(tmp_path, monkeypatch) -> Path:
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    return tmp_path


def _required() -> dict[str, str]:
    return {p.name: p.version for p in language_host.required_packages()}


def test_the_packages_are_those_pip_list_reports():
    # The Go host's pip toolchain lists packages with `python -m pip list --format json`.
    listed = json.loads(
        subprocess.run(
            [sys.executable, "-m", "pip", "list", "--format", "json"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    assert sorted(language_host.installed_packages()) == sorted(
        (language_host._normalize(p["name"]), p["version"]) for p in listed
    )


def test_pulumi_mps_ships_a_plugin_json_saying_it_has_no_plugin():
    import pulumi_mps

    path = Path(pulumi_mps.__file__).parent / "pulumi-plugin.json"
    assert json.loads(path.read_text(encoding="utf-8")) == {"resource": False}


def test_pulumi_mps_is_not_taken_for_a_resource_plugin():
    required = _required()
    assert "mps" not in required, required


def test_a_pulumi_package_without_plugin_json_is_taken_for_a_plugin(site):
    _distribution(site, "pulumi-fakecloud", "1.2.3rc4", None)
    assert _required()["fakecloud"] == "v1.2.3-rc.4"


def test_plugin_json_names_the_plugin_or_declares_none(site):
    _distribution(site, "pulumi-none", "2.0", {"resource": False})
    _distribution(site, "acme-sdk", "0.5.0", {"resource": True, "name": "acme", "version": "0.6.0"})
    _distribution(site, "unrelated-lib", "1.0", None)
    required = _required()
    assert "none" not in required
    assert required["acme"] == "v0.6.0"
    assert not any("unrelated" in name for name in required)


def test_names_are_normalized_and_known_plugin_less_packages_skipped(site):
    _distribution(site, "Pulumi_Upper.Case", "2.0.post1.dev2", None, module="Pulumi_Upper")
    _distribution(site, "pulumi-policy", "1.0", None)
    _distribution(site, "pulumi-epoch", "1!2.0", None)
    required = _required()
    assert required["upper-case"] == "v2.0.0+post1dev2"
    assert "policy" not in required and "epoch" not in required


def test_a_plugin_json_without_resource_declares_no_plugin(site):
    _distribution(site, "pulumi-quiet", "1.0", {"name": "quiet"})
    assert "quiet" not in _required()


def test_server_and_parameterization_come_from_the_plugin_json(site):
    value = base64.b64encode(b"xyz").decode()
    _distribution(
        site,
        "param-sdk",
        "1.0",
        {
            "resource": True,
            "name": "terraform-provider",
            "version": "0.1.0",
            "server": "https://example.invalid/tf",
            "parameterization": {"name": "random", "version": "3.6.0", "value": value},
        },
    )
    (dependency,) = [p for p in language_host.required_packages() if p.name == "terraform-provider"]
    assert (dependency.version, dependency.server) == ("v0.1.0", "https://example.invalid/tf")
    assert (
        dependency.parameterization.name,
        dependency.parameterization.version,
        dependency.parameterization.value,
    ) == ("random", "3.6.0", b"xyz")


def test_plugin_json_keys_match_case_insensitively_as_go_json_does(site):
    # encoding/json matches struct fields exactly or case-insensitively (seen with Pulumi's Go host).
    _distribution(site, "capital-sdk", "1.0", {"Resource": True, "Name": "capital", "VERSION": "1.0.0"})
    _distribution(site, "pulumi-shouty", "1.0", {"RESOURCE": False})
    required = _required()
    assert required["capital"] == "v1.0.0"
    assert "shouty" not in required


def test_a_plugin_json_with_a_field_of_the_wrong_type_fails_the_request(site):
    _distribution(site, "pulumi-typo", "1.0", {"resource": "false"})
    with pytest.raises(ValueError, match="pulumi-plugin.json"):
        language_host.required_packages()


def test_get_required_plugins_is_unimplemented_as_in_the_go_host():
    class Aborted(Exception):
        pass

    class Context:
        def abort(self, code, details):
            raise Aborted(code, details)

    with pytest.raises(Aborted) as raised:
        language_host.ProgramLanguageServer("").GetRequiredPlugins(None, Context())
    assert raised.value.args[0] == language_host.grpc.StatusCode.UNIMPLEMENTED


@pytest.mark.parametrize(
    ("package", "plugin"),
    [
        ("1.0", "1.0.0"),
        ("1.2.3a4", "1.2.3-alpha.4"),
        ("1.2.3b1", "1.2.3-beta.1"),
        ("1.2.3.post4", "1.2.3+post4"),
        ("1.2.3.post4.dev5", "1.2.3+post4dev5"),
        ("1.2.3.dev5", "1.2.3+dev5"),
        ("1!2.0", None),
        ("1.0+local", None),
        ("1.2.3rc", "1.2.3-rc."),
        ("1.2.", None),
        ("v1.0", None),
        ("1.\u0662", None),
    ],
)
def test_plugin_versions_follow_the_go_hosts_translation(package, plugin):
    assert language_host.plugin_version(package) == plugin


# -- the interpreter: PULUMI_MPS_PYTHON, else Pulumi.yaml's runtime.options.virtualenv (as the Go host), else PATH


@pytest.mark.parametrize(
    ("text", "option"),
    [
        ("name: p\nruntime:\n  name: python\n  options:\n    virtualenv: venv\n", "venv"),
        (
            "name: p\nruntime:\n  name: python\n  options:\n    toolchain: pip\n    virtualenv: 'my env' # here\n",
            "my env",
        ),
        ('runtime: {name: python, options: {virtualenv: "/opt/venv"}}\nname: p\n', "/opt/venv"),
        ("name: p\nruntime: python\n", None),
        ("name: p\nruntime: python\nplugins:\n  virtualenv: elsewhere\n", None),
        ("name: p\ndescription: no runtime key\n", None),
    ],
)
def test_the_virtualenv_option_is_read_from_pulumi_yaml(text, option):
    assert language_host.virtualenv_option(text) == option


def test_the_interpreter_is_the_virtualenv_s_relative_to_the_project(tmp_path):
    project = tmp_path / "project"
    (project / "venv" / "bin").mkdir(parents=True)
    (project / "venv" / "bin" / "python").write_text("", encoding="utf-8")
    (project / "Pulumi.yaml").write_text(
        "name: p\nruntime:\n  name: python\n  options:\n    virtualenv: venv\n"
    )
    (project / "sub").mkdir()
    choose = language_host.choose_interpreter
    assert choose(project / "sub", {}, "/usr/bin/python3") == (str(project / "venv" / "bin" / "python"), None)
    assert choose(project, {}, str(project / "venv" / "bin" / "python")) == (None, None)  # already running it
    assert choose(project, {"PULUMI_MPS_PYTHON": "/x/python"}, "/x/python") == (None, None)
    (project / "Pulumi.yaml").write_text(
        "name: p\nruntime:\n  name: python\n  options:\n    virtualenv: gone\n"
    )
    python, error = choose(project, {}, "/usr/bin/python3")
    assert python is None and f"{project / 'gone' / 'bin' / 'python'} does not exist" in error
    assert "PULUMI_MPS_PYTHON" in error and "runtime.options.virtualenv is 'gone'" in error


@pytest.fixture(scope="module")
def bare_python(tmp_path_factory) -> str:
    """A Python without the Pulumi SDK (a virtualenv of nothing)."""
    venv = tmp_path_factory.mktemp("bare") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    return str(venv / "bin" / "python")


def _host(python: str, project: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in ("PULUMI_MPS_PYTHON", "VIRTUAL_ENV", "PYTHONPATH")}
    return subprocess.Popen(
        [python, "-u", str(REPO / "tools" / "pulumi_cli" / "language_host.py"), "127.0.0.1:1"],
        cwd=project,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_without_the_sdk_the_host_says_what_to_set(tmp_path, bare_python):
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\n")
    proc = _host(bare_python, tmp_path)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1 and out == ""
    assert "cannot import the Pulumi SDK" in err and "runtime.options.virtualenv" in err
    assert "PULUMI_MPS_PYTHON" in err and "Traceback" not in err


def test_the_host_hands_over_to_the_project_s_virtualenv(tmp_path, bare_python):
    (tmp_path / "venv").symlink_to(Path(sys.prefix))  # the virtualenv these tests run in: it has the SDK
    (tmp_path / "Pulumi.yaml").write_text(
        "name: p\nruntime:\n  name: python\n  options:\n    virtualenv: venv\n"
    )
    proc = _host(bare_python, tmp_path)
    try:
        port = proc.stdout.readline().strip()
        assert port.isdigit(), proc.stderr.read()
    finally:
        proc.terminate()
        proc.communicate(timeout=30)
