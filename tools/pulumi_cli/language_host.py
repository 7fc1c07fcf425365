"""A Python language host for the Pulumi CLI, used where the CLI is built from source.

The CLI and its Go language host are Go modules; on machines whose Go module proxy serves the CLI but not
``pulumi-language-python``, ``scripts/ensure-pulumi-cli`` installs this file behind a
``pulumi-language-python`` shim instead. It implements the LanguageRuntime gRPC service with the Python SDK's
own program runner (the one the Automation API uses for inline programs) and runs the project's program with
``runpy``, as ``pulumi-language-python-exec`` does: ``main`` from Pulumi.yaml (a directory holding
``__main__.py``, or a ``.py`` file), the program directory first on ``sys.path`` and as the working directory.

The Python interpreter: ``$PULUMI_MPS_PYTHON`` when set (the shim runs this file with it); otherwise, as Pulumi's Go
host does, the project's ``runtime.options.virtualenv`` from ``Pulumi.yaml`` (a path relative to the project
directory, its interpreter ``<virtualenv>/bin/python``), to which this file hands over at start; otherwise the
``python3`` first on PATH. When none of them can import the Pulumi SDK, it fails saying what to set (before any
import it cannot make), rather than with an import error.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

PROJECT_FILES = ("Pulumi.yaml", "Pulumi.yml")


def project_file(start: Path) -> Path | None:
    """The ``Pulumi.yaml`` of the project ``start`` is in (the CLI starts the host in the project directory)."""
    for directory in (start, *start.parents):
        for name in PROJECT_FILES:
            if (directory / name).is_file():
                return directory / name
    return None


_TOP_LEVEL_KEY = re.compile(r"^[^\s#][^:\n]*:", re.MULTILINE)
_VIRTUALENV = re.compile(r"""\bvirtualenv\s*:\s*(?:"([^"]*)"|'([^']*)'|([^\s,}#]+))""")


def virtualenv_option(text: str) -> str | None:
    """``runtime.options.virtualenv`` of a ``Pulumi.yaml`` (block or flow style), None when not set. Reads only that
    key: the host runs before any YAML library can be counted on."""
    runtime = re.search(r"^runtime\s*:", text, re.MULTILINE)
    if runtime is None:
        return None
    rest = text[runtime.end() :]
    end = _TOP_LEVEL_KEY.search(rest)
    found = _VIRTUALENV.search(rest[: end.start()] if end else rest)
    if found is None:
        return None
    return next(group for group in found.groups() if group is not None) or None


def venv_python(venv: Path) -> Path:
    return venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def choose_interpreter(cwd: Path, environ: dict[str, str], executable: str) -> tuple[str | None, str | None]:
    """(the interpreter to hand over to, or None to stay; an error to fail with, or None)."""
    if environ.get("PULUMI_MPS_PYTHON"):
        return None, None
    found = project_file(cwd)
    option = virtualenv_option(found.read_text(encoding="utf-8")) if found else None
    if found is None or option is None:
        return None, None
    venv = Path(option) if Path(option).is_absolute() else found.parent / option
    python = venv_python(venv)
    if not python.exists():
        return None, (
            f"{found}: runtime.options.virtualenv is {option!r}, but {python} does not exist. Create it "
            f"(python3 -m venv {venv} && {venv_python(venv)} -m pip install -r requirements.txt), or set "
            "PULUMI_MPS_PYTHON to a Python that has the project's requirements."
        )
    if Path(executable).absolute() == python.absolute():
        return None, None
    return str(python), None


def start(argv: list[str]) -> None:
    """Hand over to the project's interpreter, or fail saying what to set (the CLI shows this on its output)."""
    python, error = choose_interpreter(Path.cwd(), dict(os.environ), sys.executable)
    if error is None and python is not None:
        os.execv(python, [python, "-u", os.path.abspath(__file__), *argv])
    if error is None:
        try:
            import grpc  # noqa: F401
            import pulumi  # noqa: F401
        except ImportError as exc:
            error = (
                f"{sys.executable} cannot import the Pulumi SDK ({exc}). Set runtime.options.virtualenv in "
                "Pulumi.yaml to the virtualenv that holds the project's requirements (as for Pulumi's own Python "
                "host), or PULUMI_MPS_PYTHON to a Python that has them, or put one first on PATH as python3."
            )
    if error is not None:
        print(f"pulumi-language-python (tools/pulumi_cli/language_host.py): {error}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    start(sys.argv[1:])

# The SDK and gRPC load only once start() chose an interpreter that has them.
import base64  # noqa: E402
import importlib.metadata  # noqa: E402
import importlib.util  # noqa: E402
import json  # noqa: E402
import runpy  # noqa: E402
import signal  # noqa: E402
from concurrent import futures  # noqa: E402

import grpc  # noqa: E402
from pulumi.automation._server import LanguageServer  # noqa: E402
from pulumi.runtime.proto import language_pb2, language_pb2_grpc, plugin_pb2  # noqa: E402

VERSION = "3.276.0"

# Packages Pulumi's Go host knows to have no plugin (``packagesWithoutPlugins`` in its main.go).
PACKAGES_WITHOUT_PLUGINS = frozenset({"pulumi-policy", "pulumi-esc-sdk"})
_NORMALIZE = re.compile(r"[-_.]+")
_PEP440 = re.compile(r"^(\d+(?:\.\d+)*)((?:a|b|rc)\d*)?(\.post\d*)?(\.dev\d*)?$", re.ASCII)
_STDLIB_DISTRIBUTIONS = frozenset({"python", "wsgiref", "argparse"})  # what `pip list` leaves out


def _normalize(name: str) -> str:
    """``normalizePythonPackageName`` of the Go host's toolchain (PEP 503)."""
    return _NORMALIZE.sub("-", name.lower())


def installed_packages() -> list[tuple[str, str]]:
    """(normalized name, version) of each installed distribution, as the Go host's pip toolchain reads them from
    ``python -m pip list --format json`` (``ListPackages``): the first of each name on ``sys.path``, names
    normalized."""
    seen: dict[str, str] = {}
    for distribution in importlib.metadata.distributions():
        name = _normalize(distribution.metadata["Name"] or "")
        if name and name not in seen and name not in _STDLIB_DISTRIBUTIONS:
            seen[name] = distribution.version or ""
    return list(seen.items())


def plugin_json_path(package: str) -> str:
    """Where the ``pulumi-plugin.json`` of the installed package ``package`` is, found as the Go host's
    ``pulumiPluginJSONPathsScript`` does: in the import package named after the distribution's metadata name
    (``-`` read as ``_``); empty when there is none or anything fails."""
    try:
        dist = importlib.metadata.distribution(package)
        module = dist.metadata["Name"].replace("-", "_")
        spec = importlib.util.find_spec(module)
        locs = list(spec.submodule_search_locations or []) if spec else []
        found = [
            p for loc in locs for p in [os.path.join(str(loc), "pulumi-plugin.json")] if os.path.isfile(p)
        ]
        return found[0] if found else ""
    except Exception:  # noqa: BLE001 - the Go host's script maps any failure to ''
        return ""


PLUGIN_JSON_FIELDS = {
    "resource": bool,
    "name": str,
    "version": str,
    "server": str,
    "parameterization": dict,
    "extensionParameterization": dict,
}
PARAMETERIZATION_FIELDS = {"name": str, "version": str, "value": str}


def _struct_fields(value: dict, fields: dict[str, type], path: str) -> dict:
    """``value``'s keys matched to ``fields`` as Go's ``encoding/json`` matches struct fields: an exact match, else
    a case-insensitive one, later keys overwriting earlier ones; other keys ignored; a wrong type is an error."""
    out: dict = {}
    for key, item in value.items():
        field = key if key in fields else next((f for f in fields if f.casefold() == key.casefold()), None)
        if field is None:
            continue
        if item is not None and not isinstance(item, fields[field]):
            raise ValueError(f"failed to parse pulumi-plugin.json at {path}")
        out[field] = item
    return out


def read_plugin_json(path: str) -> dict | None:
    """A ``pulumi-plugin.json`` as the Go host reads it: None when it cannot be read; a parse error (including a
    field of the wrong type) fails the whole request, as ``json.Unmarshal`` into ``PulumiPluginJSON`` does."""
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except OSError:
        return None
    info = json.loads(text)
    if not isinstance(info, dict):
        raise ValueError(f"failed to parse pulumi-plugin.json at {path}")
    info = _struct_fields(info, PLUGIN_JSON_FIELDS, path)
    for key in ("parameterization", "extensionParameterization"):
        if info.get(key) is not None:
            info[key] = _struct_fields(info[key], PARAMETERIZATION_FIELDS, path)
    return info


def plugin_version(package_version: str) -> str | None:
    """The plugin version for a PEP 440 package version (the Go host's ``determinePluginVersion``); None when it
    cannot be told (epochs, local versions)."""
    match = _PEP440.match(package_version)
    if not match:
        return None
    release, pre, post, dev = match.groups()
    segments = release.split(".")
    segments += ["0"] * (3 - len(segments))
    version = ".".join(segments)
    if pre:
        kind = "rc" if pre.startswith("rc") else {"a": "alpha", "b": "beta"}[pre[0]]
        version += f"-{kind}.{pre[len('rc') if kind == 'rc' else 1 :]}"
    if post:
        version += "+post" + post[len(".post") :]
    if dev:
        version += ("" if post else "+") + "dev" + dev[len(".dev") :]
    return version


def _parameterization(value: dict | None) -> plugin_pb2.PackageParameterization | None:
    if not value:
        return None
    return plugin_pb2.PackageParameterization(
        name=value.get("name") or "",
        version=value.get("version") or "",
        value=base64.b64decode(value.get("value") or ""),
    )


def package_dependency(name: str, version: str, info: dict | None) -> plugin_pb2.PackageDependency | None:
    """The Go host's ``packageDependencyFromPluginJSON``: None when the file says ``"resource": false`` or no
    plugin version can be told; otherwise name and version from the file, else from the package."""
    fields: dict = {}
    plugin_name = plugin_version_text = server = ""
    if info is not None:
        if not info.get("resource", False):
            return None
        plugin_name, plugin_version_text, server = (
            info.get("name") or "",
            info.get("version") or "",
            info.get("server") or "",
        )
        fields["parameterization"] = _parameterization(info.get("parameterization"))
        if "extension" in plugin_pb2.PackageDependency.DESCRIPTOR.fields_by_name:
            fields["extension"] = _parameterization(info.get("extensionParameterization"))
    plugin_name = plugin_name or name.removeprefix("pulumi-")
    plugin_version_text = plugin_version_text or plugin_version(version) or ""
    if not plugin_version_text:
        return None
    return plugin_pb2.PackageDependency(
        name=plugin_name,
        version=plugin_version_text if plugin_version_text.startswith("v") else f"v{plugin_version_text}",
        kind="resource",
        server=server,
        **{key: value for key, value in fields.items() if value is not None},
    )


def required_packages() -> list[plugin_pb2.PackageDependency]:
    """The resource plugins the program's environment asks for, by the Go host's rule (``listPulumiPackageInfos``
    then ``packageDependencyFromPluginJSON``): every installed package that ships a ``pulumi-plugin.json`` or
    whose name starts with ``pulumi-``, unless it is known to have none or its file says ``"resource": false``."""
    packages = []
    for name, version in installed_packages():
        if name in PACKAGES_WITHOUT_PLUGINS:
            continue
        path = plugin_json_path(name)
        info = read_plugin_json(path) if path else None
        if info is None and not name.startswith("pulumi-"):
            continue
        dependency = package_dependency(name, version, info)
        if dependency is not None:
            packages.append(dependency)
    return packages


def _entry_point(request: language_pb2.RunRequest) -> Path:
    info = request.info
    program_dir = Path(info.program_directory or request.program or request.pwd or os.getcwd())
    entry = info.entry_point or "."
    path = (program_dir / entry).resolve()
    if path.is_dir():
        path = path / "__main__.py"
    return path


class ProgramLanguageServer(LanguageServer):
    """Runs the project's Python program file for each ``Run`` call of the engine."""

    def __init__(self, engine_address: str) -> None:
        super().__init__(program=lambda: None)
        self.engine_address = engine_address

    def Run(self, request, context):
        path = _entry_point(request)
        if not path.is_file():
            return language_pb2.RunResponse(error=f"no Python program at {path}")
        workdir = str(path.parent)
        os.chdir(request.pwd or workdir)
        if sys.path[0] != workdir:
            sys.path.insert(0, workdir)
        self.program = lambda: runpy.run_path(str(path), run_name="__main__")
        forwarded = language_pb2.RunRequest()
        forwarded.CopyFrom(request)
        del forwarded.args[:]
        forwarded.args.append(self.engine_address)
        return super().Run(forwarded, context)

    def GetPluginInfo(self, request, context):
        return plugin_pb2.PluginInfo(version=VERSION)

    def GetRequiredPlugins(self, request, context):
        # As Pulumi's Go host: the engine asks GetRequiredPackages (and would fall back to this on Unimplemented).
        context.abort(grpc.StatusCode.UNIMPLEMENTED, "method GetRequiredPlugins not implemented")

    def GetRequiredPackages(self, request, context):
        return language_pb2.GetRequiredPackagesResponse(packages=required_packages())

    def InstallDependencies(self, request, context):
        return iter(())

    def GetProgramDependencies(self, request, context):
        return language_pb2.GetProgramDependenciesResponse()


def main(argv: list[str]) -> int:
    positional = [a for a in argv if not a.startswith("-")]
    engine_address = positional[-1] if positional else ""
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=4),
        options=[("grpc.max_receive_message_length", 400 * 1024 * 1024)],
    )
    language_pb2_grpc.add_LanguageRuntimeServicer_to_server(ProgramLanguageServer(engine_address), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: server.stop(grace=0))
    print(port, flush=True)
    server.wait_for_termination()
    # A program still running (the engine stops the host after a failed step) must not keep the process alive.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
