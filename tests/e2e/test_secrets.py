"""No message shows any part of a secret, at preview, up, refresh and destroy: a value the program marked secret,
or one under a secret member, even misspelt. Every line the CLI prints is searched for each secret."""

from __future__ import annotations

import pytest

from tests.pulumi_harness import new_project

pytestmark = pytest.mark.e2e

S3_KEY = "PLAINS3SECRETKEY-zz9q"
PLAIN_KEY = "PLAINNOTIFYKEY-k7y3"
CONTEXT = "SECRETCONTEXT-" + "q" * 1000
SESSION = "sharedsecretsession-4411"

HEADER = """
import pulumi
from pulumi_mps import LiveStreamProcessTask, MediaProcessTask

s3 = {"s3_bucket": "b", "s3_region": "us-east-1", "s3_object": "/in.mov", "s3_secret_id": "AKIDEXAMPLE"}
out = {"type": "COS", "cos_output_storage": {"bucket": "b-1250000000", "region": "ap-chongqing"}}
cos = {"type": "COS", "cos_input_info": {"bucket": "b-1250000000", "region": "ap-chongqing", "object": "/in.mov"}}
"""
# (the resource, what the preview says of it)
BAD_SPECS = [
    (
        f'MediaProcessTask("misspelt", output_storage=out, input_info={{"type": "AWS-S3", "s3_input_info": {{'
        f'**s3, "s3_secret_kee": pulumi.Output.secret("{S3_KEY}")}}}})',
        "unknown field 's3_secret_kee' (did you mean 's3_secret_key'?) (value: [secret])",
    ),
    (
        f'MediaProcessTask("too-long", input_info=cos, session_context=pulumi.Output.secret("{CONTEXT}"))',
        "session_context: at most 1000 characters (value: [secret])",
    ),
    (
        'LiveStreamProcessTask("plain-misspelt", url="rtmp://live.example.com/live/s", task_notify_config={'
        f'"notify_type": "URL", "notify_url": "https://hooks.example.com/mps", "notify_kye": "{PLAIN_KEY}"}})',
        "unknown field 'notify_kye' (did you mean 'notify_key'?) (value: [secret])",
    ),
]

# Secrets written in the program (the CLI masks secret config values in what it prints, not these).
SHARED_SESSION = f"""
import pulumi
from pulumi_mps import MediaProcessTask

for name in ("first", "second"):
    MediaProcessTask(name, input_info={{"type": "AWS-S3", "s3_input_info": {{
        "s3_bucket": "b", "s3_region": "us-east-1", "s3_object": f"/{{name}}.mov", "s3_secret_id": "AKIDEXAMPLE",
        "s3_secret_key": pulumi.Output.secret("{S3_KEY}")}}}},
        output_storage={{"type": "COS", "cos_output_storage": {{"bucket": "b-1250000000", "region": "ap-chongqing"}}}},
        session_id=pulumi.Output.secret("{SESSION}"), abort_on_delete=True)
"""


def assert_hidden(text: str, *secrets: str) -> None:
    for secret in secrets:
        for start in range(0, len(secret) - 8 + 1, 4):  # no part of it either
            assert secret[start : start + 8] not in text, (secret, text)


@pytest.mark.parametrize(("resource", "message"), BAD_SPECS, ids=["misspelt", "too-long", "plain-misspelt"])
def test_a_secret_is_never_shown_by_a_failed_preview(
    make_stack, tmp_path, mps_env, mps_emulator, resource, message
):
    stack = make_stack(new_project(tmp_path / "bad", "bad", HEADER + resource + "\n"), env=mps_env)
    result = stack.preview(check=False)
    assert result.returncode != 0 and message in result.output
    assert_hidden(result.output, S3_KEY, CONTEXT, PLAIN_KEY)
    result = stack.up(check=False)
    assert result.returncode != 0 and message in result.output
    assert_hidden(result.output, S3_KEY, CONTEXT, PLAIN_KEY)
    assert mps_emulator.admin.requests() == []


def test_a_secret_is_never_shown_at_up_refresh_or_destroy(make_stack, tmp_path, mps_env, mps_emulator):
    stack = make_stack(new_project(tmp_path / "shared", "shared", SHARED_SESSION), env=mps_env)
    outputs = [stack.preview("--diff").output]
    up = stack.up(check=False)
    outputs.append(up.output)
    # The two tasks share a SessionId: MPS runs one, and the other resource cannot show the task is its own.
    assert up.returncode != 0 and "MPS reports SessionId [secret] as already used by task" in up.output
    assert len(mps_emulator.admin.tasks()) == 1
    mps_emulator.admin.advance_clock(30)
    outputs += [stack.refresh().output, stack.preview("--diff", check=False).output]
    outputs.append(stack.destroy().output)
    assert_hidden("\n".join(outputs), SESSION, S3_KEY)
    assert_hidden(str(stack.export()), SESSION, S3_KEY)
