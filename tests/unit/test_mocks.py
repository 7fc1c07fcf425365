"""Users unit-test their programs with Pulumi's mocks (``pulumi.runtime.set_mocks``): the task resources work
there, program-side adjustments included. Run in a fresh interpreter, since mocks are process-wide."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

PROGRAM = textwrap.dedent("""
    import json
    import sys
    import pulumi

    class Mocks(pulumi.runtime.Mocks):
        def new_resource(self, args):
            return [f"{args.name}-id", {**args.inputs, "task_id": f"1250000000-WorkflowTask-{args.name}",
                                        "status": "WAITING"}]

        def call(self, args):
            return {}

    pulumi.runtime.set_mocks(Mocks(), preview=False)
    from pulumi_mps import MediaProcessTask

    seen = []

    @pulumi.runtime.test
    def check():
        tasks = [MediaProcessTask(f"t{i}", input_info={"type": "COS", "cos_input_info": {
                     "bucket": "b-1250000000", "region": "ap-chongqing", "object": f"/in{i}.mov"}},
                     media_process_task={"transcode_task_set": [{"definition": 20}]}) for i in range(3)]
        return pulumi.Output.all(*[t.task_id for t in tasks], tasks[0].status, tasks[0].input_info).apply(seen.append)

    check()
    print(json.dumps({"outputs": seen, "pydantic loaded": "pydantic" in sys.modules}))
""")


def test_tasks_resolve_under_pulumi_mocks():
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM], check=False, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    printed = json.loads(result.stdout.strip().splitlines()[-1])
    (outputs,) = printed["outputs"]
    assert outputs[:4] == [f"1250000000-WorkflowTask-t{i}" for i in range(3)] + ["WAITING"]
    assert outputs[4]["cos_input_info"]["object"] == "/in0.mov"
    # Declaring tasks reads the generated field tables only: the model classes load in the provider process.
    assert printed["pydantic loaded"] is False


SECRETS_PROGRAM = textwrap.dedent("""
    import json
    import pulumi

    class Mocks(pulumi.runtime.Mocks):
        def new_resource(self, args):
            if args.typ.endswith("MediaProcessTask"):
                sent[args.name] = args.inputs.get("secret_inputs")
            return [f"{args.name}-id", {**args.inputs, "task_id": f"1250000000-WorkflowTask-{args.name}"}]

        def call(self, args):
            return {}

    pulumi.runtime.set_mocks(Mocks(), preview=False)
    from pulumi_mps import MediaProcessTask

    sent = {}
    source = {"type": "COS", "cos_input_info": {"bucket": "b-1250000000", "region": "ap-chongqing", "object": "/a"}}

    @pulumi.runtime.test
    def check():
        marked = MediaProcessTask("marked", input_info=source, session_context=pulumi.Output.secret("ctx"),
                                  media_process_task={"transcode_task_set": [{"definition": pulumi.Output.secret(20)}]},
                                  tasks_priority=pulumi.Output.from_input(1))
        plain = MediaProcessTask("plain", input_info=source, session_context=pulumi.Output.from_input("ctx"))
        literal = MediaProcessTask("literal", input_info=source, session_context="ctx")
        return pulumi.Output.all(marked.task_id, plain.task_id, literal.task_id)

    check()
    print(json.dumps(sent, sort_keys=True))
""")


def test_the_provider_is_told_which_inputs_the_program_marked_secret():
    result = subprocess.run(
        [sys.executable, "-c", SECRETS_PROGRAM], check=False, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "literal": None,
        "marked": ["media_process_task", "session_context"],
        "plain": [],
    }
