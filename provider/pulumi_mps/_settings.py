"""Where the provider finds credentials, region and endpoint: read at call time, never kept on a provider object.

Stack config first (``tencentcloud:secretId``, ``tencentcloud:secretKey`` (secret), ``tencentcloud:securityToken``,
``tencentcloud:region``, ``mps:endpoint``, ``mps:rateLimit``), then the environment (``TENCENTCLOUD_SECRET_ID``,
``TENCENTCLOUD_SECRET_KEY``, ``TENCENTCLOUD_SECURITY_TOKEN``, ``TENCENTCLOUD_REGION``, ``MPS_ENDPOINT``,
``MPS_RATE_LIMIT``).

``mps:rateLimit`` / ``MPS_RATE_LIMIT``: the provider's own ceiling, in calls per second per API action, for one
account and region (default 100: the API's ProcessMedia / ProcessLiveStream limit; the limiter goes lower when MPS
refuses calls);
raise it for an account whose limit was raised, 0 turns it off (the API's RequestLimitExceeded is retried).

``mps:adoptDuplicates`` / ``MPS_ADOPT_DUPLICATES`` (``true`` / ``false``, default false): adopt the task behind a
duplicate SessionId even when the resource cannot show it submitted it (README, "The SessionId contract").

The settings that can be checked without the network (:func:`offline_problems`) are checked at preview, naming
the key; credentials are not needed before the first API call.
"""

from __future__ import annotations

import ipaddress
import os
import re
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ._errors import ConfigError, MissingCredentials

DEFAULT_REGION = "ap-guangzhou"
DEFAULT_ENDPOINT = "https://mps.tencentcloudapi.com"
DEFAULT_RATE_LIMIT = 100.0

_SOURCES = {
    "secret_id": ("tencentcloud:secretId", "TENCENTCLOUD_SECRET_ID"),
    "secret_key": ("tencentcloud:secretKey", "TENCENTCLOUD_SECRET_KEY"),
    "token": ("tencentcloud:securityToken", "TENCENTCLOUD_SECURITY_TOKEN"),
    "region": ("tencentcloud:region", "TENCENTCLOUD_REGION"),
    "endpoint": ("mps:endpoint", "MPS_ENDPOINT"),
    "rate_limit": ("mps:rateLimit", "MPS_RATE_LIMIT"),
    "adopt_duplicates": ("mps:adoptDuplicates", "MPS_ADOPT_DUPLICATES"),
}
_HOST_LABEL = re.compile(r"^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$")

# The stack config handed to the provider process by the engine (Configure). Process memory only: it is never
# stored on a provider object, so it never reaches ``__provider`` or the state.
_stack_config: dict[str, str] = {}
_lock = threading.Lock()


CONFIG_KEYS = tuple(config_key for config_key, _ in _SOURCES.values())


def set_stack_config(config: Mapping[str, object]) -> None:
    with _lock:
        _stack_config.clear()
        _stack_config.update({k: str(v) for k, v in config.items() if v is not None})


@dataclass(frozen=True)
class Settings:
    """What one API call needs. ``secret_key`` and ``token`` never appear in ``repr``."""

    secret_id: str
    secret_key: str = field(repr=False)
    token: str | None = field(default=None, repr=False)
    region: str = DEFAULT_REGION
    scheme: str = "https"
    host: str = "mps.tencentcloudapi.com"
    rate_limit: float = DEFAULT_RATE_LIMIT


def _lookup(name: str, config: Mapping[str, str]) -> str | None:
    return _source(name, config)[1]


def _source(name: str, config: Mapping[str, str]) -> tuple[str, str | None]:
    """(the key the value comes from, the value stripped), stack config first; the config key when unset."""
    config_key, env_key = _SOURCES[name]
    for key, value in ((config_key, config.get(config_key)), (env_key, os.environ.get(env_key))):
        if value and value.strip():
            return key, value.strip()
    return config_key, None


def _valid_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        pass
    labels = host.rstrip(".").split(".")
    return len(host) <= 253 and all(_HOST_LABEL.match(label) for label in labels)


def parse_endpoint(url: str, key: str = "mps:endpoint / MPS_ENDPOINT") -> tuple[str, str]:
    """``http://127.0.0.1:18080`` -> (``http``, ``127.0.0.1:18080``); a bare host means https. ConfigError,
    naming ``key``, for anything but an http(s) URL of a valid host name or address with an optional port
    (1 to 65535) and no path, query or credentials."""
    parts = urlsplit(url if "://" in url else f"https://{url}")
    problem = None
    try:
        port = parts.port
    except ValueError:
        problem, port = "its port must be a number from 1 to 65535", None
    if problem is None:
        if parts.scheme not in ("http", "https"):
            problem = "it must start with http:// or https://"
        elif not parts.hostname or not _valid_host(parts.hostname):
            problem = "it must name a valid host"
        elif port == 0 or (parts.netloc.endswith(":") and port is None):
            problem = "its port must be a number from 1 to 65535"
        elif parts.username is not None or parts.password is not None:
            problem = "it must not hold credentials"
        elif parts.path.strip("/") or parts.query or parts.fragment:
            problem = "it must have no path, query or fragment"
    if problem is not None:
        shown = "a URL with credentials (not shown)" if "@" in parts.netloc else repr(url)
        raise ConfigError(
            f"{key} must be a URL such as https://mps.tencentcloudapi.com or http://127.0.0.1:18080: "
            f"{problem}, got {shown}"
        )
    return parts.scheme, parts.netloc


def parse_rate_limit(text: str, key: str = "mps:rateLimit / MPS_RATE_LIMIT") -> float:
    try:
        rate = float(text)
    except ValueError:
        rate = -1.0
    if not rate >= 0 or rate == float("inf"):
        raise ConfigError(f"{key} must be a number of calls per second >= 0 (0: no limit), got {text!r}")
    return rate


def parse_bool(text: str, key: str) -> bool:
    value = text.strip().lower()
    if value not in ("true", "false"):
        raise ConfigError(f"{key} must be true or false, got {text!r}")
    return value == "true"


def _current(config: Mapping[str, str] | None) -> dict[str, str]:
    with _lock:
        return dict(_stack_config if config is None else config)


def offline_problems(config: Mapping[str, str] | None = None) -> list[str]:
    """What is wrong with the settings that can be checked without calling MPS (endpoint, rate limit,
    adoptDuplicates), each naming its key; credentials are not looked at."""
    cfg = _current(config)
    problems = []
    for name, parse in (
        ("endpoint", parse_endpoint),
        ("rate_limit", parse_rate_limit),
        ("adopt_duplicates", parse_bool),
    ):
        key, value = _source(name, cfg)
        if value is not None:
            try:
                parse(value, key)
            except ConfigError as exc:
                problems.append(str(exc))
    return problems


def adopt_duplicates(config: Mapping[str, str] | None = None) -> bool:
    """``mps:adoptDuplicates`` / ``MPS_ADOPT_DUPLICATES`` (default false)."""
    key, value = _source("adopt_duplicates", _current(config))
    return value is not None and parse_bool(value, key)


def resolve(config: Mapping[str, str] | None = None) -> Settings:
    """The settings in force now: stack config, then environment; raises MissingCredentials naming the keys."""
    cfg = _current(config)
    secret_id, secret_key = _lookup("secret_id", cfg), _lookup("secret_key", cfg)
    if not secret_id or not secret_key:
        missing = [k for k, v in (("secretId", secret_id), ("secretKey", secret_key)) if not v]
        raise MissingCredentials(
            "Tencent Cloud credentials are not set (missing "
            + " and ".join(missing)
            + "). Set stack config `pulumi config set tencentcloud:secretId AKID...` and "
            "`pulumi config set --secret tencentcloud:secretKey ...`, or the environment variables "
            "TENCENTCLOUD_SECRET_ID and TENCENTCLOUD_SECRET_KEY (plus tencentcloud:securityToken / "
            "TENCENTCLOUD_SECURITY_TOKEN for temporary credentials)."
        )
    endpoint_key, endpoint = _source("endpoint", cfg)
    scheme, host = parse_endpoint(endpoint or DEFAULT_ENDPOINT, endpoint_key)
    rate_key, rate = _source("rate_limit", cfg)
    return Settings(
        secret_id=secret_id,
        secret_key=secret_key,
        token=_lookup("token", cfg),
        region=_lookup("region", cfg) or DEFAULT_REGION,
        scheme=scheme,
        host=host,
        rate_limit=DEFAULT_RATE_LIMIT if rate is None else parse_rate_limit(rate, rate_key),
    )
