"""Built-in checks, one module per family, registered through ``register_checks`` like any
plugin's."""
