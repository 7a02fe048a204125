"""The OCOP domain core: models, programme rules and the services that enforce them.

Nothing in this package imports ``flask.request``: surfaces (public, trace, admin,
api) load, check permission, call a service here and render.
"""
