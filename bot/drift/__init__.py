"""The drift watch: reads the voice configuration back on a timer and tells the team about every
difference Switchboard did not make itself (issue 13).

`readers/` reads one resource each into a snapshot, `snapshot` takes a whole snapshot within the
watcher's share of the request budget, `diff` compares two, `explain` drops what the audit log
accounts for, `watcher` runs it under a lease so one replica watches, and `views` words it.
"""
