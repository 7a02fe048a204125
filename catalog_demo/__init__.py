"""Demo data: a realistic, reproducible OCOP catalogue for trying the service out.

``flask --app catalog demo-data [--products N] [--seed S]``. The same seed and
the same ``--as-of`` date give the same data. Recognition histories are built
with the core's own lifecycle rules (:mod:`catalog.kernel.lifecycle`), and every
record passes the core's input schemas, so demo data can never hold a state
the services would refuse.
"""
