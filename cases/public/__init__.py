"""Public reports: the citizen's report page, the tracking code, and the stash of files across a refused form."""
