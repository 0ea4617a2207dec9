"""One run of the newswire, from a source's feeds to published wire items.

The modules read as the flow:

- ``resources``  what a run holds: store, archive, HTTP client, translator,
  compose settings and the catalog, opened once at start-up;
- ``stages``     the stage sequence for one source (``poll_source``) and for
  one document (``carry_document``, ``translation_request``,
  ``compose_document``): the one place where stages are composed;
- ``frontier``   which of a source's addresses a poll reads, in what order,
  within the cap on fetches per poll;
- ``runner``     the in-process runner: threads for network work, every write
  on one thread, failures recorded per source and per document;
- ``wire``       the second half of a run: batched translation, composition;
- ``report``     what a run did and the exit status it gives;
- ``console``    progress bars and the summary table on a terminal;
- ``reprocess``  documents rebuilt from the archive without fetching;
- ``republish``  an editor's translation stored and the item re-published;
- ``celeryapp``, ``tasks``, ``scheduler``, ``ratelimit``, ``workersettings``
  the distributed workers: the same stages as Celery tasks on queues
  fetch, cpu and translate, the scheduler's passes, politeness shared in Redis.

The CLI, the demo and the web server call into this package; it never
imports them (nor ``publish/``).
"""
