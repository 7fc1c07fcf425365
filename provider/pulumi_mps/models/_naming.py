"""API (PascalCase) name -> Python (snake_case) name. No imports: the generator loads this file by path."""

from __future__ import annotations

import re

# An acronym followed by a capitalised word: "VODInput" -> "VOD_Input", "SQSRegion" -> "SQS_Region".
_ACRONYM_WORD = re.compile(r"([A-Z]+)([A-Z][a-z])")
# A lower-case letter or digit followed by a capital: "InputInfo" -> "Input_Info", "S3Secret" -> "S3_Secret".
_LOWER_UPPER = re.compile(r"([a-z0-9])([A-Z])")


def api_to_snake(name: str) -> str:
    """``InputInfo`` -> ``input_info``, ``AIDubbingTask`` -> ``ai_dubbing_task``, ``AwsSQS`` -> ``aws_sqs``."""
    if not name or not name.isidentifier():
        raise ValueError(f"not an API member name: {name!r}")
    text = _ACRONYM_WORD.sub(r"\1_\2", name)
    text = _LOWER_UPPER.sub(r"\1_\2", text)
    return re.sub(r"_+", "_", text).lower()
