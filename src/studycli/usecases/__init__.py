"""Use cases: what each command does, as functions of the store, content, settings and today."""
