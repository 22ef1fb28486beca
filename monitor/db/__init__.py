"""Persistence: models, engine, migrations and the one module (``store``) that queries them."""
