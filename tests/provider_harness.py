"""Drives the real dynamic-provider server (``python -m pulumi.dynamic``) over gRPC, as the engine does."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import sys
from typing import Any

import grpc
from google.protobuf import struct_pb2
from pulumi.dynamic.dynamic import serialize_provider
from pulumi.runtime import rpc
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

PROVIDER_KEY = "__provider"
UNKNOWN = rpc.UNKNOWN


def to_struct(props: dict[str, Any]) -> struct_pb2.Struct:
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(rpc.serialize_properties(props, {}))
    finally:
        loop.close()


def from_struct(struct: struct_pb2.Struct) -> dict[str, Any]:
    return rpc.deserialize_properties(struct, keep_unknowns=True)


_PATH = re.compile(r"^([A-Za-z_][\w.\[\]]*): (.*?)(?: \(value: .*\))?$", re.DOTALL)


def failure_parts(property_: str, reason: str) -> tuple[str, str]:
    """(path, reason) of a check failure: the provider names the path at the start of its text (``path: reason
    (value: ...)``) and leaves the property empty; the shown value is dropped here."""
    match = _PATH.match(reason)
    if property_ or match is None:
        return property_, reason
    return match.group(1), match.group(2)


def init_failure(error: grpc.RpcError) -> tuple[str, dict[str, Any], list[str]] | None:
    """(id, properties, reasons) of a call that failed as a resource created but not initialized (the details the
    engine reads: ``pulumirpc.ErrorResourceInitFailed`` in ``grpc-status-details-bin``); None for a plain failure."""
    from pulumi.runtime.proto import status_pb2

    for key, value in error.trailing_metadata() or ():
        if key != "grpc-status-details-bin":
            continue
        status = status_pb2.Status.FromString(value)
        assert status.code == error.code().value[0]  # else the engine would ignore the details
        for detail in status.details:
            failed = provider_pb2.ErrorResourceInitFailed()
            if detail.Unpack(failed):
                properties = from_struct(failed.properties)
                return failed.id, properties, list(failed.reasons)
    return None


class ProviderServer:
    """One provider process. ``provider`` is a provider instance; its pickle becomes ``__provider``."""

    def __init__(self, provider: Any, env: dict[str, str] | None = None) -> None:
        self.provider_str = serialize_provider(provider)
        environ = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
        environ.update(env or {})
        self.proc = subprocess.Popen(
            [sys.executable, "-u", "-m", "pulumi.dynamic"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=environ,
            text=True,
        )
        port = self.proc.stdout.readline().strip()
        if not port.isdigit():
            self.proc.kill()
            raise RuntimeError(f"provider server did not start: {port!r} {self.proc.stderr.read()}")
        self.channel = grpc.insecure_channel(f"127.0.0.1:{port}")
        self.stub = provider_pb2_grpc.ResourceProviderStub(self.channel)

    def close(self) -> None:
        self.channel.close()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        for stream in (self.proc.stdout, self.proc.stderr):
            stream.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _with_provider(self, props: dict[str, Any]) -> dict[str, Any]:
        return {**props, PROVIDER_KEY: self.provider_str}

    def configure(self, config: dict[str, str]) -> None:
        self.stub.Configure(provider_pb2.ConfigureRequest(args=to_struct(config), acceptSecrets=False))

    def check(
        self, news: dict[str, Any], olds: dict[str, Any] | None = None
    ) -> tuple[dict, list[tuple[str, str]]]:
        """(checked inputs, failures as (path, reason)); ``check_raw`` keeps the failures' text whole."""
        inputs, failures = self.check_raw(news, olds)
        return inputs, [failure_parts(p, r) for p, r in failures]

    def check_raw(
        self, news: dict[str, Any], olds: dict[str, Any] | None = None
    ) -> tuple[dict, list[tuple[str, str]]]:
        resp = self.stub.Check(
            provider_pb2.CheckRequest(
                urn="urn:pulumi:test::proj::pulumi-python:dynamic:Resource::r",
                olds=to_struct(self._with_provider(olds) if olds else {}),
                news=to_struct(self._with_provider(news)),
            )
        )
        inputs = from_struct(resp.inputs)
        inputs.pop(PROVIDER_KEY, None)
        return inputs, [(f.property, f.reason) for f in resp.failures]

    def diff(self, olds: dict[str, Any], news: dict[str, Any], id_: str = "id") -> provider_pb2.DiffResponse:
        return self.stub.Diff(
            provider_pb2.DiffRequest(
                id=id_,
                urn="urn:pulumi:test::proj::pulumi-python:dynamic:Resource::r",
                olds=to_struct(self._with_provider(olds)),
                news=to_struct(self._with_provider(news)),
            )
        )

    def create(self, props: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        resp = self.stub.Create(
            provider_pb2.CreateRequest(
                urn="urn:pulumi:test::proj::pulumi-python:dynamic:Resource::r",
                properties=to_struct(self._with_provider(props)),
            )
        )
        outs = from_struct(resp.properties)
        outs.pop(PROVIDER_KEY, None)
        return resp.id, outs

    def read(self, id_: str, props: dict[str, Any]) -> provider_pb2.ReadResponse:
        return self.stub.Read(
            provider_pb2.ReadRequest(
                id=id_,
                urn="urn:pulumi:test::proj::pulumi-python:dynamic:Resource::r",
                properties=to_struct(self._with_provider(props)),
            )
        )

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> dict[str, Any]:
        resp = self.stub.Update(
            provider_pb2.UpdateRequest(
                id=id_,
                urn="urn:pulumi:test::proj::pulumi-python:dynamic:Resource::r",
                olds=to_struct(self._with_provider(olds)),
                news=to_struct(self._with_provider(news)),
            )
        )
        outs = from_struct(resp.properties)
        outs.pop(PROVIDER_KEY, None)
        return outs

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        self.stub.Delete(
            provider_pb2.DeleteRequest(
                id=id_,
                urn="urn:pulumi:test::proj::pulumi-python:dynamic:Resource::r",
                properties=to_struct(self._with_provider(props)),
            )
        )
