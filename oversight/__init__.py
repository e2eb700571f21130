"""The coordinator's oversight: who viewed and changed client records, the access-request export, retention."""
