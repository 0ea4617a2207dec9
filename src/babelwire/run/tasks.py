"""Where the distributed workers' tasks will live (Celery; not built yet).

Each task will be a thin wrapper around one function of ``stages``, exactly
as the in-process runner (``runner.py``) calls them: ``poll_source`` for one
source, ``carry_document`` for one document, then translation and
``compose_document`` in batches, with the worker storing what each returns.
Because every stage is a function from records to records and every write an
upsert keyed by the record's identity, a task retried after a worker dies
converges to the same rows, as the in-process runner does after a crash.
Resources are opened once per worker process with ``resources.resources``.
"""
