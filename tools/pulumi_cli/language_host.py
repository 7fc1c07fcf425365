"""A Python language host for the Pulumi CLI, used where the CLI is built from source.

The CLI and its Go language host are Go modules; on machines whose Go module proxy serves the CLI but not
``pulumi-language-python``, ``scripts/ensure-pulumi-cli`` installs this file behind a
``pulumi-language-python`` shim instead. It implements the LanguageRuntime gRPC service with the Python SDK's
own program runner (the one the Automation API uses for inline programs) and runs the project's program with
``runpy``, as ``pulumi-language-python-exec`` does: ``main`` from Pulumi.yaml (a directory holding
``__main__.py``, or a ``.py`` file), the program directory first on ``sys.path`` and as the working directory.

The Python interpreter is the one that runs this file: the shim uses ``$PULUMI_MPS_PYTHON``, else the
``python3`` first on PATH, so activate the project's virtualenv (the scripts do) before running ``pulumi``.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
import re
import runpy
import signal
import sys
from concurrent import futures
from pathlib import Path

import grpc
from pulumi.automation._server import LanguageServer
from pulumi.runtime.proto import language_pb2, language_pb2_grpc, plugin_pb2

VERSION = "3.276.0"

# Packages Pulumi's Go host knows to have no plugin (``packagesWithoutPlugins`` in its main.go).
PACKAGES_WITHOUT_PLUGINS = frozenset({"pulumi-policy", "pulumi-esc-sdk"})
_NORMALIZE = re.compile(r"[-_.]+")
_PEP440 = re.compile(r"^(\d+(?:\.\d+)*)((?:a|b|rc)\d*)?(\.post\d*)?(\.dev\d*)?$")


def _normalize(name: str) -> str:
    """``normalizePythonPackageName`` of the Go host's toolchain (PEP 503)."""
    return _NORMALIZE.sub("-", name.lower())


def plugin_json_path(distribution: importlib.metadata.Distribution) -> str:
    """Where a package's ``pulumi-plugin.json`` is, found as the Go host's ``pulumiPluginJSONPathsScript`` does:
    in the import package named after the distribution (``-`` read as ``_``); empty when there is none."""
    try:
        module = distribution.metadata["Name"].replace("-", "_")
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError, AttributeError, TypeError):  # the Go host's script ignores any failure here
        return ""
    for location in (spec.submodule_search_locations or []) if spec else []:
        path = os.path.join(str(location), "pulumi-plugin.json")
        if os.path.isfile(path):
            return path
    return ""


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
        version += f"-{kind}.{pre[len('rc') if kind == 'rc' else 1:]}"
    if post:
        version += "+post" + post[len(".post"):]
    if dev:
        version += ("" if post else "+") + "dev" + dev[len(".dev"):]
    return version


def required_packages() -> list[plugin_pb2.PackageDependency]:
    """The resource plugins the program's environment asks for, by the Go host's rule
    (``listPulumiPackageInfos`` and ``packageDependencyFromPluginJSON``): every installed distribution that ships a
    ``pulumi-plugin.json`` or whose name starts with ``pulumi-``, unless the file says ``"resource": false``."""
    found: dict[str, plugin_pb2.PackageDependency] = {}
    for distribution in importlib.metadata.distributions():
        raw_name = distribution.metadata["Name"] or ""
        name = _normalize(raw_name)
        if not name or name in PACKAGES_WITHOUT_PLUGINS or name in found:
            continue
        path = plugin_json_path(distribution)
        if not path and not name.startswith("pulumi-"):
            continue
        info: dict = {}
        if path:
            with open(path, encoding="utf-8") as handle:
                info = json.load(handle)
            if not info.get("resource", False):
                continue
        version = info.get("version") or plugin_version(distribution.version or "")
        if not version:
            continue
        found[name] = plugin_pb2.PackageDependency(
            name=info.get("name") or name.removeprefix("pulumi-"),
            version=version if version.startswith("v") else f"v{version}",
            kind="resource",
            server=info.get("server") or "",
        )
    return list(found.values())


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
