"""The API actions that submit a task, one entry per task kind: the generator's other lists derive from it.

``tools/generate.py`` keeps their request and response trees (``ACTIONS``) and their members' docs
(``DOCUMENTED``); ``tools/gen_models.py`` renders one request model per action (``ROOTS``).
"""

TASK_ACTIONS = ("ProcessMedia", "ProcessLiveStream", "EditMedia")
