"""One thread at a time in trafilatura, htmldate and the feed and listing readers.

lxml lets go of the interpreter lock while libxml2 works, and trafilatura and
htmldate keep lxml objects at module level. Several threads extracting pages
at the same moment have been reported to corrupt the C heap with lxml 6 and
trafilatura 2 (a "double free or corruption" abort, or a segfault, with no
Python traceback), and CI once saw exactly that abort in a run that resumed
with many fetched pages and extracted them all at once. Those libraries'
calls, and the discover readers, take this lock; the project's own parsing,
language detection, fetching and storing stay concurrent.

Re-entrant, because a reader may call another under it. Never hold it while
waiting for another thread that needs it.
"""

from __future__ import annotations

import threading

#: Held around each trafilatura and htmldate call, and each feed, sitemap or
#: listing read.
TREE_LOCK = threading.RLock()
