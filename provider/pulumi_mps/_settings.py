"""Where the provider finds credentials, region and endpoint: read at call time, never kept on a provider object.

Stack config first (``tencentcloud:secretId``, ``tencentcloud:secretKey`` (secret), ``tencentcloud:securityToken``,
``tencentcloud:region``, ``mps:endpoint``, ``mps:rateLimit``), then the environment (``TENCENTCLOUD_SECRET_ID``,
``TENCENTCLOUD_SECRET_KEY``, ``TENCENTCLOUD_SECURITY_TOKEN``, ``TENCENTCLOUD_REGION``, ``MPS_ENDPOINT``,
``MPS_RATE_LIMIT``).

``mps:rateLimit`` / ``MPS_RATE_LIMIT``: the provider's own ceiling, in calls per second per API action, for one
account and region (default 95: just under the API's 100 ProcessMedia / ProcessLiveStream calls a second);
raise it for an account whose limit was raised, 0 turns it off (the API's RequestLimitExceeded is retried).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ._errors import MissingCredentials

DEFAULT_REGION = "ap-guangzhou"
DEFAULT_ENDPOINT = "https://mps.tencentcloudapi.com"
DEFAULT_RATE_LIMIT = 95.0

_SOURCES = {
    "secret_id": ("tencentcloud:secretId", "TENCENTCLOUD_SECRET_ID"),
    "secret_key": ("tencentcloud:secretKey", "TENCENTCLOUD_SECRET_KEY"),
    "token": ("tencentcloud:securityToken", "TENCENTCLOUD_SECURITY_TOKEN"),
    "region": ("tencentcloud:region", "TENCENTCLOUD_REGION"),
    "endpoint": ("mps:endpoint", "MPS_ENDPOINT"),
    "rate_limit": ("mps:rateLimit", "MPS_RATE_LIMIT"),
}

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
    config_key, env_key = _SOURCES[name]
    value = config.get(config_key) or os.environ.get(env_key)
    return value.strip() if value and value.strip() else None


def parse_endpoint(url: str) -> tuple[str, str]:
    """``http://127.0.0.1:18080`` -> (``http``, ``127.0.0.1:18080``); a bare host means https."""
    parts = urlsplit(url if "://" in url else f"https://{url}")
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path.strip("/"):
        raise ValueError(f"mps:endpoint / MPS_ENDPOINT must be a URL such as http://127.0.0.1:18080, got {url!r}")
    return parts.scheme, parts.netloc


def parse_rate_limit(text: str) -> float:
    try:
        rate = float(text)
    except ValueError:
        rate = -1.0
    if not rate >= 0 or rate == float("inf"):
        raise ValueError(f"mps:rateLimit / MPS_RATE_LIMIT must be a number of calls per second >= 0 "
                         f"(0: no limit), got {text!r}")
    return rate


def resolve(config: Mapping[str, str] | None = None) -> Settings:
    """The settings in force now: stack config, then environment; raises MissingCredentials naming the keys."""
    with _lock:
        cfg = dict(_stack_config if config is None else config)
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
    scheme, host = parse_endpoint(_lookup("endpoint", cfg) or DEFAULT_ENDPOINT)
    rate = _lookup("rate_limit", cfg)
    return Settings(
        secret_id=secret_id,
        secret_key=secret_key,
        token=_lookup("token", cfg),
        region=_lookup("region", cfg) or DEFAULT_REGION,
        scheme=scheme,
        host=host,
        rate_limit=DEFAULT_RATE_LIMIT if rate is None else parse_rate_limit(rate),
    )
