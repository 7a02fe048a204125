"""The domain kernel: the OCOP programme's rules and the records they govern.

Programme numbers (stars from score, 36 months, the re-recognition window, the
revocation grounds), dates and the clock, units and the product taxonomy,
producers, products, recognitions and their history, the lifecycle rules, who
may do what (roles), and THE rule every surface asks: which products are
publicly visible at an instant (:mod:`.visibility`). It imports no feature and
never reads the request: surfaces load, check permission, call it, render.
"""
