"""The files `edition new` writes (package data; see toolkit/new.py). `common/` goes into every
edition, `authority/` into those with authority files, and one folder per template."""
