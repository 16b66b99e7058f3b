"""The lint rules, a module per family; `lint/registry.py` lists them."""
